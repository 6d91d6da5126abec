using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.AnswerLog;

public sealed class AnswerLogConcurrencyTests : IAsyncLifetime
{
    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task Many_concurrent_writers_and_readers_lose_nothing_and_never_fail()
    {
        const int Writers = 8;
        const int PerWriter = 200;
        var log = _folder.Open();
        using var stopReading = new CancellationTokenSource();
        var reads = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stopReading.IsCancellationRequested)
            {
                await log.ListAsync(null, 0, 20);
                await log.GetStatsAsync(3);
                Interlocked.Increment(ref reads);
                await Task.Delay(10);
            }
        })).ToArray();

        var written = await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var mine = new List<(long Id, string Question)>();
            for (var i = 0; i < PerWriter; i++)
            {
                var question = $"writer {writer} question {i} — “¿dónde?”";
                var id = await log.RecordAsync(SampleAnswers.Answered(question, i));
                mine.Add((id, question));

                // Every writer votes on its own answer and on the answer before it, which may be another writer's.
                await log.VoteAsync(id, new Actor($"voter-{writer}", "V"), 1, null);
                await log.VoteAsync(Math.Max(1, id - 1), new Actor($"other-{writer}", "O"), -1, "no");
                if (i % 20 == 0)
                {
                    await log.ChangeStatusAsync(id, AnswerStatus.Approved, new Actor($"mod-{writer}", "M"), null);
                }
            }

            return mine;
        })));
        await stopReading.CancelAsync();
        await Task.WhenAll(readers);

        var all = written.SelectMany(w => w).ToList();
        Assert.Equal(Writers * PerWriter, all.Select(a => a.Id).Distinct().Count());
        var stored = new Dictionary<long, AnswerRecord>();
        await foreach (var record in log.ExportAsync())
        {
            stored[record.Id] = record;
        }

        Assert.Equal(Writers * PerWriter, stored.Count);
        Assert.All(all, a => Assert.Equal(a.Question, stored[a.Id].Answer.Question));
        Assert.All(all, a => Assert.Contains(stored[a.Id].Feedback, v => v.Voter.Id.StartsWith("voter-", StringComparison.Ordinal) && v.Vote == 1));
        var stats = await log.GetStatsAsync(0);
        Assert.Equal(Writers * PerWriter, stats.Upvotes);
        Assert.Equal(Writers * (PerWriter / 20), stats.ByStatus[AnswerStatus.Approved]);
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Two_logs_on_one_file_like_the_bot_and_the_command_line_both_get_their_writes_in()
    {
        var bot = _folder.Open();
        var moderator = _folder.Open();
        await bot.InitializeAsync();

        // Separate instances have separate write gates: they meet only in SQLite's locking.
        var results = await Task.WhenAll(
            new[] { bot, moderator }.SelectMany(log => Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
            {
                var ids = new List<long>();
                for (var i = 0; i < 100; i++)
                {
                    var id = await log.RecordAsync(SampleAnswers.Answered($"{writer}/{i}", i));
                    await log.ChangeStatusAsync(id, AnswerStatus.Flagged, new Actor("m", "m"), null);
                    ids.Add(id);
                }

                return ids;
            }))));

        var ids = results.SelectMany(r => r).ToList();
        Assert.Equal(800, ids.Distinct().Count());
        Assert.Equal(800, (await moderator.GetStatsAsync(0)).ByStatus[AnswerStatus.Flagged]);
    }
}
