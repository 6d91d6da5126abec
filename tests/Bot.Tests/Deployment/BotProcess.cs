using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// One real <c>caravanbot</c> process (the built program, run with <c>dotnet caravanbot.dll</c>) configured from its
/// environment, as an operator starts it: the tests start several against one loopback Discord and one answer log,
/// read its health and metrics port from its log, and kill it as a crash would.
/// </summary>
internal sealed partial class BotProcess : IAsyncDisposable
{
    /// <summary>How long a process may take to index the article and connect, on a busy machine.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _stdout = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<string> _operations = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private BotProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The base address of its health and metrics port, once it logged it.</summary>
    public string OperationsUrl => _operations.Task.IsCompletedSuccessfully ? _operations.Task.Result : throw new InvalidOperationException("Not listening yet.");

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// The environment of a bot talking to <paramref name="rest"/>'s Discord with the loopback bot's fast timings, a free
    /// health port, and the answer log named by <paramref name="answerLog"/> (<see cref="SqliteLog"/>, or the
    /// PostgreSQL settings of a test database), so the same test runs on either store.
    /// </summary>
    public static Dictionary<string, string> Environment(FakeRestServer rest, IReadOnlyDictionary<string, string> answerLog)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DISCORD_TOKEN"] = rest.BotToken,
            ["Discord__ApiBaseUrl"] = rest.ApiBaseUrl,
        };
        foreach (var (key, value) in LoopbackBot.FastTimings())
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        foreach (var (key, value) in answerLog)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>The settings of an answer log in the SQLite file at <paramref name="path"/> (the default store).</summary>
    public static Dictionary<string, string> SqliteLog(string path) => new(StringComparer.Ordinal) { ["AnswerLog__Path"] = path };

    /// <summary>The settings of an answer log in the PostgreSQL database at <paramref name="connectionString"/>.</summary>
    public static Dictionary<string, string> PostgresLog(string connectionString) => new(StringComparer.Ordinal)
    {
        ["AnswerLog__Provider"] = "Postgres",
        ["AnswerLog__ConnectionString"] = connectionString,
    };

    /// <summary>Starts <c>caravanbot ARGS</c> with <paramref name="environment"/> added to the test's own (less ASPNETCORE_URLS).</summary>
    public static BotProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BotAssembly());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "ASPNETCORE_URLS", "CARAVANBOT_DEBUG", "DOTNET_URLS", "Discord__Token" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var bot = new BotProcess(process);
        process.ErrorDataReceived += (_, e) => bot.OnStderr(e.Data);
        process.OutputDataReceived += (_, e) => bot.OnStdout(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        process.StandardInput.Close();
        return bot;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200: the article indexed, every owned shard READY, the log reachable.</summary>
    public async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        var operations = await _operations.Task.WaitAsync(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"caravanbot exited with {_process.ExitCode} while starting:{System.Environment.NewLine}{Stderr}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri(operations + "/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"caravanbot was not ready within {StartTimeout.TotalSeconds} s:{System.Environment.NewLine}{Stderr}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; if it fails, the failure says what the process wrote.</summary>
    public async Task<T> WhileRunningAsync<T>(Task<T> task)
    {
        try
        {
            return await task;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{ex.Message} (caravanbot {(_process.HasExited ? $"exited with {_process.ExitCode}" : "still running")}):{System.Environment.NewLine}{Stderr}", ex);
        }
    }

    /// <summary>GETs a path of the health and metrics port.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(OperationsUrl + path));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>SIGKILL: the process ends at once, as in a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }

        _process.Dispose();
        _http.Dispose();
    }

    /// <summary>The value of a Prometheus sample whose name is <paramref name="name"/> and whose labels include <paramref name="labels"/>; 0 when absent.</summary>
    public static double Metric(string metrics, string name, params (string Label, string Value)[] labels)
    {
        var total = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }

            var present = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.All(l => present.TryGetValue(l.Label, out var value) && value == l.Value))
            {
                total += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    private static string DotnetHost() =>
        System.Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    private static string BotAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
            {
                var path = Path.Combine(dir.FullName, "bot", "bin", output.Parent!.Name, output.Name, "caravanbot.dll");
                return File.Exists(path) ? path : throw new FileNotFoundException("Build the bot project first.", path);
            }
        }

        throw new DirectoryNotFoundException($"No CaravanBot.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Waits for the process to end by itself; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself and returns its standard output, line by line.</summary>
    public async Task<string[]> StandardOutputLinesAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"caravanbot exited with {_process.ExitCode}:{System.Environment.NewLine}{Stderr}");
        }

        lock (_gate)
        {
            return [.. _stdout];
        }
    }

    private void OnStdout(string? line)
    {
        if (line is not null)
        {
            lock (_gate)
            {
                _stdout.Add(line);
            }
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _stderr.AppendLine(line);
        }

        if (OperationsLine().Match(line) is { Success: true } match)
        {
            _operations.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Health and metrics on (http://[^ ,]+)")]
    private static partial Regex OperationsLine();

    // Label values may hold braces (route="POST channels/{channel_id}/messages"): only quoted text may contain them.
    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>(?:[^""}]|""(?:[^""\\]|\\.)*"")*)\})? (?<value>[-+0-9.eE]+|NaN|[+-]Inf)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
