using System.Diagnostics;
using System.Text;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// Runs the built <c>caravanbot</c> as a child process from the bot's own build output (the copy
/// next to the tests resolves its dependencies against the tests' ASP.NET framework reference),
/// so Program's console wiring, encoding and exit codes are checked as a shell sees them.
/// </summary>
internal static class CaravanbotProcess
{
    private static readonly Lazy<string> BotAssembly = new(FindBotAssembly);

    private static string FindBotAssembly()
    {
        // tests/Bot.Tests/bin/<Configuration>/<framework>/ → bot/bin/<Configuration>/<framework>/caravanbot.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
            {
                var path = Path.Combine(dir.FullName, "bot", "bin", configuration, framework, "caravanbot.dll");
                return File.Exists(path) ? path : throw new FileNotFoundException("Build the bot project first.", path);
            }
        }

        throw new DirectoryNotFoundException($"No CaravanBot.sln above {AppContext.BaseDirectory}.");
    }

    public static Task<(CliResult Result, TimeSpan Elapsed)> RunAsync(string? input, params string[] args) =>
        RunAsync(input, new Dictionary<string, string>(), args);

    /// <summary>Runs the program with <paramref name="environment"/> added to this process's environment.</summary>
    public static async Task<(CliResult Result, TimeSpan Elapsed)> RunAsync(string? input, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BotAssembly.Value);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("CARAVANBOT_DEBUG");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        stopwatch.Stop();
        return (new CliResult(process.ExitCode, (await stdout).Replace("\r\n", "\n"), (await stderr).Replace("\r\n", "\n")), stopwatch.Elapsed);
    }
}
