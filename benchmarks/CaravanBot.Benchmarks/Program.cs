using BenchmarkDotNet.Running;
using CaravanBot.Benchmarks;

// dotnet run -c Release --project benchmarks/CaravanBot.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/CaravanBot.Benchmarks -- extraction
if (args.Length > 0 && args[0] == "extraction")
{
    return ExtractionReport.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(AnswerBenchmarks).Assembly).Run(args);
return 0;
