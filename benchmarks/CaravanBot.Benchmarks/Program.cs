using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/CaravanBot.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CaravanBot.Benchmarks.AnswerBenchmarks).Assembly).Run(args);
