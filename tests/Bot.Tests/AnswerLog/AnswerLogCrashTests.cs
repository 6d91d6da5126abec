using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>
/// The log's promise, tested the hard way: a child process (tests/AnswerLogCrashWriter) records
/// answers as fast as it can and prints each one right after RecordAsync returns; the test kills it
/// mid-burst (SIGKILL: no flush, no dispose, no checkpoint), reopens the file and finds every
/// acknowledged answer whole.
/// </summary>
public sealed class AnswerLogCrashTests : IAsyncLifetime
{
    private const int AcknowledgementsBeforeKill = 300;

    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Every_acknowledged_answer_survives_the_writer_being_killed_mid_burst()
    {
        var database = Path.Combine(_folder.Path, "crash.db");
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

        Assert.Equal("ok", AnswerLogFolder.Scalar(database, "PRAGMA integrity_check;"));
        var log = _folder.Open(database);
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

    [Fact]
    public async Task Another_process_writing_the_same_file_never_makes_a_write_fail()
    {
        var database = Path.Combine(_folder.Path, "shared.db");
        var log = _folder.Open(database);
        await log.InitializeAsync();
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

    private static void AssertSameAnswer(NewAnswer expected, NewAnswer actual)
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
    private sealed class CrashWriter : IDisposable
    {
        private static readonly Lazy<string> Assembly = new(FindAssembly);

        private CrashWriter(Process process) => Process = process;

        public Process Process { get; }

        public static CrashWriter Start(string database, int writers)
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
            start.ArgumentList.Add(database);
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
