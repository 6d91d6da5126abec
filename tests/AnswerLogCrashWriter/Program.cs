using System.Text;
using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// The answer log crash test's child: `AnswerLogCrashWriter DB_PATH [WRITERS]` (SQLite) or
// `AnswerLogCrashWriter postgres CONNECTION_STRING [WRITERS]`. Records answers from
// WRITERS concurrent tasks as fast as the log takes them and, right after each RecordAsync returns,
// prints one line {"id":…,"answer":{…}}: the acknowledgement the test holds the log to. It never
// stops by itself; the test kills it. It exits only when standard input closes (the test died), so
// it cannot outlive a crashed test run.
var postgres = args.Length > 0 && args[0] == "postgres";
var rest = postgres ? args[1..] : args;
if (rest.Length is < 1 or > 2 || (rest.Length == 2 && !int.TryParse(rest[1], out _)))
{
    Console.Error.WriteLine("usage: AnswerLogCrashWriter DB_PATH [WRITERS] | AnswerLogCrashWriter postgres CONNECTION_STRING [WRITERS]");
    return 2;
}

var writers = rest.Length == 2 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
IAnswerLog log;
if (postgres)
{
    var store = new PostgresAnswerLog(
        Options.Create(new AnswerLogOptions { Provider = AnswerLogProvider.Postgres, ConnectionString = rest[0] }), NullLogger<PostgresAnswerLog>.Instance);
    await store.InitializeAsync();
    log = store;
}
else
{
    var store = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = rest[0] }), NullLogger<SqliteAnswerLog>.Instance);
    await store.InitializeAsync();
    log = store;
}

// One write per line: a line the test reads whole was acknowledged whole.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 1 << 16) { AutoFlush = true };
var outputGate = new object();
var sequence = 0L;
using var stop = new CancellationTokenSource();
_ = Task.Run(() =>
{
    while (Console.In.Read() >= 0)
    {
    }

    stop.Cancel();
});

var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        var n = Interlocked.Increment(ref sequence);
        var answer = CrashAnswers.Create(n);
        var id = await log.RecordAsync(answer);
        var line = JsonSerializer.Serialize(new { id, answer });
        lock (outputGate)
        {
            stdout.WriteLine(line);
        }
    }
}));
await Task.WhenAll(tasks);
return 0;

/// <summary>Answers whose every field varies with the sequence number, unicode and all.</summary>
internal static class CrashAnswers
{
    public static NewAnswer Create(long n) => new()
    {
        At = new DateTimeOffset(2025, 1, 3, 10, 0, 0, TimeSpan.FromHours(-6)).AddMilliseconds(n * 37),
        GuildId = n % 3 == 0 ? null : $"90{n}",
        ChannelId = $"80{n % 7}",
        Asker = new Actor($"70{n}", $"Lectora “{n}” López"),
        Source = n % 2 == 0 ? "slash" : "mention",
        Question = $"¿Qué pidió México? #{n} — “sanciones”",
        Answered = n % 5 != 0,
        Reason = n % 5 == 0 ? "not_in_article" : null,
        AnswerText = n % 5 == 0 ? "The article does not say." : $"Answer {n}: here is what the article says.",
        Citations = n % 5 == 0
            ? []
            : [new LoggedCitation(2, "“development aid”", 57, 76), new LoggedCitation((int)(n % 9) + 1, $"quote {n} ✓", 0, 9 + n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)],
        ScoresJson = $"{{\"dense\":0.{n % 1000:D3},\"n\":{n}}}",
        Mode = "extractive",
        LatencyMs = n * 1.25,
        ServedCorrectionOf = null,
    };
}
