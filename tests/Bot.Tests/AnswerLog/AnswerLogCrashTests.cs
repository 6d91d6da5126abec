using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>
/// The log's promise, tested the hard way, on each store: a child process (tests/AnswerLogCrashWriter) records
/// answers as fast as it can and prints each one right after RecordAsync returns; the test kills it
/// mid-burst (SIGKILL: no flush, no dispose, no checkpoint), reopens the log and finds every
/// acknowledged answer whole.
/// </summary>
public abstract class AnswerLogCrashTests : IAsyncLifetime
{
    private const int AcknowledgementsBeforeKill = 300;

    public Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    /// <summary>The child's arguments that name a new, empty log of this store (creating what it needs).</summary>
    protected abstract Task<string[]> NewLogAsync(string name);

    /// <summary>A log on what <paramref name="log"/> named, in this process.</summary>
    protected abstract IAnswerLog Open(string[] log);

    /// <summary>The store's own check that nothing is damaged after the kill.</summary>
    protected abstract Task AssertIntactAsync(string[] log);

    [SkippableFact]
    public async Task Every_acknowledged_answer_survives_the_writer_being_killed_mid_burst()
    {
        var database = await NewLogAsync("crash");
        using var child = CrashWriter.Start(database, writers: 4);

        var acknowledged = new List<(long Id, NewAnswer Answer)>();
        while (acknowledged.Count < AcknowledgementsBeforeKill)
        {
            var line = await child.ReadLineAsync() ?? throw new InvalidOperationException($"the writer stopped early: {await child.ErrorAsync()}");
            acknowledged.Add(CrashWriter.Parse(line));
        }

        Assert.False(child.Process.HasExited, "the writer must still be writing when it is killed");
        child.Process.Kill();
        await child.Process.WaitForExitAsync();

        // Lines already in the pipe were acknowledged too; a cut-off last line was not.
        acknowledged.AddRange(CrashWriter.CompleteLines(await child.ReadRestAsync()).Select(CrashWriter.Parse));

        await AssertIntactAsync(database);
        var log = Open(database);
        foreach (var (id, expected) in acknowledged)
        {
            var record = await log.GetAsync(id);
            Assert.True(record is not null, $"acknowledged answer {id} is missing after the crash");
            AssertSameAnswer(expected, record.Answer);
        }

        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Id).Distinct().Count());
        Assert.True((await log.GetStatsAsync(0)).Total >= acknowledged.Count);

        // The file takes writes again after recovery.
        var next = await log.RecordAsync(SampleAnswers.Answered());
        Assert.True(next > acknowledged.Max(a => a.Id));
    }

    [SkippableFact]
    public async Task Another_process_writing_the_same_log_never_makes_a_write_fail()
    {
        var database = await NewLogAsync("shared");
        var log = Open(database);
        await log.GetStatsAsync(0);
        using var child = CrashWriter.Start(database, writers: 2);
        Assert.NotNull(await child.ReadLineAsync());

        var mine = new List<long>();
        for (var i = 0; i < 150; i++)
        {
            var id = await log.RecordAsync(SampleAnswers.Answered($"from the test {i}", i));
            await log.ChangeStatusAsync(id, AnswerStatus.Approved, new Actor("cli:mo", "mo"), null);
            await log.VoteAsync(id, new Actor("r", "r"), -1, null);
            mine.Add(id);
        }

        Assert.False(child.Process.HasExited, "the other process must have been writing throughout");
        child.Process.Kill();
        await child.Process.WaitForExitAsync();

        foreach (var id in mine)
        {
            var record = await log.GetAsync(id);
            Assert.Equal(AnswerStatus.Approved, record?.Status);
            Assert.Equal(1, record?.Downvotes);
        }

        Assert.True((await log.GetStatsAsync(0)).Total > mine.Count);
    }

    protected static void AssertSameAnswer(NewAnswer expected, NewAnswer actual)
    {
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.At.Offset, actual.At.Offset);
        Assert.Equal(expected.GuildId, actual.GuildId);
        Assert.Equal(expected.ChannelId, actual.ChannelId);
        Assert.Equal(expected.Asker, actual.Asker);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Question, actual.Question);
        Assert.Equal(expected.Answered, actual.Answered);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.AnswerText, actual.AnswerText);
        Assert.Equal(expected.Citations, actual.Citations);
        Assert.Equal(expected.ScoresJson, actual.ScoresJson);
        Assert.Equal(expected.Mode, actual.Mode);
        Assert.Equal(expected.LatencyMs, actual.LatencyMs);
        Assert.Equal(expected.ServedCorrectionOf, actual.ServedCorrectionOf);
    }

    /// <summary>The running child, its output read line by line.</summary>
    protected sealed class CrashWriter : IDisposable
    {
        private static readonly Lazy<string> Assembly = new(FindAssembly);

        private CrashWriter(Process process) => Process = process;

        public Process Process { get; }

        public static CrashWriter Start(string[] database, int writers)
        {
            var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Assembly.Value);
            foreach (var argument in database)
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(writers.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return new CrashWriter(Process.Start(start)!);
        }

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await Process.StandardOutput.ReadLineAsync(timeout.Token);
        }

        public async Task<string> ReadRestAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await Process.StandardOutput.ReadToEndAsync(timeout.Token);
        }

        public async Task<string> ErrorAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await Process.StandardError.ReadToEndAsync(timeout.Token);
        }

        public static IEnumerable<string> CompleteLines(string text)
        {
            var lines = text.Split('\n');

            // The last piece has no newline after it: empty, or a line the kill cut short.
            return lines.Take(lines.Length - 1).Where(l => l.Length > 0);
        }

        public static (long Id, NewAnswer Answer) Parse(string line)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return (root.GetProperty("id").GetInt64(), root.GetProperty("answer").Deserialize<NewAnswer>()!);
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
                Process.WaitForExit();
            }

            Process.Dispose();
        }

        private static string FindAssembly()
        {
            // tests/Bot.Tests/bin/<Configuration>/<framework>/ → tests/AnswerLogCrashWriter/bin/<Configuration>/<framework>/
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = output.Name;
            var configuration = output.Parent!.Name;
            for (var dir = output; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
                {
                    var path = Path.Combine(dir.FullName, "tests", "AnswerLogCrashWriter", "bin", configuration, framework, "AnswerLogCrashWriter.dll");
                    return File.Exists(path) ? path : throw new FileNotFoundException("tests/AnswerLogCrashWriter was not built with the tests (the test project references it); rebuild tests/Bot.Tests.", path);
                }
            }

            throw new DirectoryNotFoundException($"No CaravanBot.sln above {AppContext.BaseDirectory}.");
        }
    }
}

/// <summary>The crash tests on a real SQLite file.</summary>
public sealed class SqliteAnswerLogCrashTests : AnswerLogCrashTests
{
    private readonly AnswerLogFolder _folder = new();

    public override async Task DisposeAsync() => await _folder.DisposeAsync();

    protected override Task<string[]> NewLogAsync(string name) => Task.FromResult<string[]>([Path.Combine(_folder.Path, name + ".db")]);

    protected override IAnswerLog Open(string[] log) => _folder.Open(log[0]);

    protected override Task AssertIntactAsync(string[] log)
    {
        Assert.Equal("ok", AnswerLogFolder.Scalar(log[0], "PRAGMA integrity_check;"));
        return Task.CompletedTask;
    }
}

/// <summary>
/// The crash tests on a real PostgreSQL, and what only a server has: its connections killed (pg_terminate_backend)
/// while writes are in flight.
/// </summary>
public sealed class PostgresAnswerLogCrashTests : AnswerLogCrashTests
{
    private PostgresDatabase? _database;

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override async Task<string[]> NewLogAsync(string name)
    {
        _database ??= await PostgresServer.CreateDatabaseAsync();
        return ["postgres", _database.ConnectionString];
    }

    protected override IAnswerLog Open(string[] log) => _database!.Open();

    protected override async Task AssertIntactAsync(string[] log)
    {
        // Every answer row is whole: its JSON parses and its history rows point at it.
        Assert.Equal(0L, await _database!.CountAsync("answers WHERE json_typeof(citations_json) <> 'array'"));
        Assert.Equal(AnswerLogSchema.LatestVersion, Convert.ToInt32(await _database.ScalarAsync("SELECT MAX(version) FROM answer_log_schema;"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task Killing_the_database_connections_mid_write_loses_nothing_acknowledged_and_the_log_recovers()
    {
        await NewLogAsync("killed");
        var log = _database!.Open();
        await log.InitializeAsync();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<long, (NewAnswer Answer, bool Approved)>();
        var refused = 0;
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var answer = SampleAnswers.Answered($"writer {w} question {i} — “¿qué?”", i);
                try
                {
                    var id = await log.RecordAsync(answer);
                    acknowledged[id] = (answer, false);
                    if (i % 3 == 0 && await log.ChangeStatusAsync(id, AnswerStatus.Approved, new Actor("cli:mo", "mo"), $"w{w} i{i}") is not null)
                    {
                        acknowledged[id] = (answer, true);
                    }
                }
                catch (AnswerLogUnavailableException)
                {
                    // The connection died while committing: the write may or may not be there, and was never acknowledged.
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToArray();

        var killed = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            killed += await _database.TerminateConnectionsAsync();
            await Task.Delay(40);
        }

        var duringKills = acknowledged.Count;
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(killed > 0, "no connection was killed");
        Assert.True(duringKills > 0, "nothing was acknowledged while connections were being killed");
        var reader = _database.Open();
        foreach (var (id, (answer, approved)) in acknowledged)
        {
            var record = await reader.GetAsync(id);
            Assert.True(record is not null, $"acknowledged answer {id} is missing after its connections were killed");
            AssertSameAnswer(answer, record.Answer);
            if (approved)
            {
                Assert.Equal(AnswerStatus.Approved, record.Status);
                Assert.Single(record.History);
            }
        }

        // The log recovers: the next writes go through on new connections.
        var next = await log.RecordAsync(SampleAnswers.Answered("After the storm?"));
        Assert.Equal("After the storm?", (await log.GetAsync(next))?.Answer.Question);
        Assert.True(next > acknowledged.Keys.Max());
    }
}
