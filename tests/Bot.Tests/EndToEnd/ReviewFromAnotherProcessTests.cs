using System.Diagnostics;
using System.Globalization;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.AnswerLog;
using CaravanBot.Bot.Tests.Cli;
using CaravanBot.FakeDiscord;
using static CaravanBot.Bot.Tests.EndToEnd.ModerationEndToEnd;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// A moderator's terminal and the running bot share one log: the real host answers on the loopback Discord, then
/// <c>caravanbot review retract ID</c> runs as a separate process against the same log (the settings in its
/// environment, as a moderator sets them), and the bot edits the public reply and the review card within 2 s —
/// by polling the SQLite file, by LISTEN/NOTIFY on PostgreSQL.
/// </summary>
public abstract class ReviewFromAnotherProcessTests
{
    private const string Withdrawn = "A moderator withdrew this answer";

    /// <summary>How soon after the terminal's commit the public reply must show it (the promise).</summary>
    private static readonly TimeSpan ShownWithin = TimeSpan.FromSeconds(2);

    private readonly SharedModel _model;

    protected ReviewFromAnotherProcessTests(SharedModel model)
    {
        _model = model;
    }

    /// <summary>The bot on this store, and the environment a moderator's terminal needs to reach the same log.</summary>
    private protected abstract Task<(ModerationEndToEnd Bot, Dictionary<string, string> Environment, IAsyncDisposable? Store)> StartAsync(SharedModel model);

    [SkippableFact]
    public async Task A_retraction_from_caravanbot_review_in_another_process_edits_the_public_reply_and_the_card_within_2_s()
    {
        var (bot, environment, store) = await StartAsync(_model);
        try
        {
            await using var _ = bot;
            var asked = await bot.AskAsync("What does Mexico want?");
            var before = bot.LastSequence;

            var (result, _) = await CaravanbotProcess.RunAsync(
                null, environment, "review", "retract", asked.Id.ToString(CultureInfo.InvariantCulture), "--as", "mo", "--note", "wrong paragraph");
            var committed = Stopwatch.StartNew();

            Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
            Assert.Equal($"answer {asked.Id} is now retracted (was new), by cli:mo\n", result.Stdout);
            var replyEdit = await bot.WaitForAsync("PATCH", MessagePath(asked.Record.ReplyChannelId, asked.Record.ReplyMessageId), before);
            var shownAfter = committed.Elapsed;
            var cardEdit = await bot.WaitForAsync("PATCH", MessagePath(EndToEndBot.Number(ReviewChannel), asked.Record.ReviewMessageId), before);

            Assert.True(shownAfter <= ShownWithin, $"the public reply was edited {shownAfter.TotalMilliseconds:F0} ms after the terminal's commit");
            Assert.Contains(Withdrawn, Description(replyEdit.Json), StringComparison.Ordinal);
            Assert.Contains("retracted", string.Join(' ', FieldValues(cardEdit.Json)), StringComparison.OrdinalIgnoreCase);
            var record = await bot.Log.GetAsync(asked.Id);
            Assert.Equal(AnswerStatus.Retracted, record!.Status);
            Assert.Equal(new Actor("cli:mo", "mo"), Assert.Single(record.History).By);
            Assert.Empty(await ((IAnswerLogChanges)bot.Log).GetPendingFollowUpsAsync());

            // Shown once: no second edit of the reply follows.
            await Task.Delay(TimeSpan.FromSeconds(1));
            await bot.E2e.WaitUntilIdleAsync();
            Assert.Single(bot.Rest.Requests, r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == MessagePath(asked.Record.ReplyChannelId, asked.Record.ReplyMessageId));
            bot.E2e.AssertEveryRequestValid();
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task A_retraction_Discord_fails_to_show_at_first_is_shown_when_Discord_recovers()
    {
        var (bot, environment, store) = await StartAsync(_model);
        try
        {
            await using var _ = bot;
            var asked = await bot.AskAsync("What does Mexico want?");
            var replyPath = MessagePath(asked.Record.ReplyChannelId, asked.Record.ReplyMessageId);

            // Discord fails every try of the bot's first edit (the client's retries included), then recovers.
            var failures = new DiscordRestOptions().MaxServerErrorRetries + 1;
            bot.Rest.On("PATCH", replyPath).Respond([.. Enumerable.Repeat(FakeResponse.ServerError(503), failures)]);
            var before = bot.LastSequence;

            var (result, _) = await CaravanbotProcess.RunAsync(
                null, environment, "review", "retract", asked.Id.ToString(CultureInfo.InvariantCulture), "--as", "mo");
            Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);

            // The follow-up was given back to the log and the next look shows it: the reply is withdrawn once, at last.
            var edits = await bot.Rest.WaitForRequestsAsync(r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == replyPath, failures + 1, StepTimeout);
            Assert.Equal(200, await bot.E2e.ResponseStatusAsync(edits[^1]));
            Assert.Contains(Withdrawn, Description(edits[^1].Json), StringComparison.Ordinal);
            Assert.All(edits.SkipLast(1), e => Assert.Equal(503, e.ResponseStatus));
            Assert.Contains(bot.E2e.Logs.Entries, e => e.FullText.Contains("could not be shown in Discord yet", StringComparison.Ordinal));
            Assert.Empty(await ((IAnswerLogChanges)bot.Log).GetPendingFollowUpsAsync());

            await Task.Delay(FollowUpRetryInterval * 2);
            Assert.Equal(failures + 1, bot.Rest.Requests.Count(r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == replyPath));
        }
        finally
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }
    }
}

/// <summary>The cross-process retraction on the default store, one SQLite file.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SqliteReviewFromAnotherProcessTests : ReviewFromAnotherProcessTests
{
    public SqliteReviewFromAnotherProcessTests(SharedModel model)
        : base(model)
    {
    }

    private protected override async Task<(ModerationEndToEnd, Dictionary<string, string>, IAsyncDisposable?)> StartAsync(SharedModel model)
    {
        var bot = await ModerationEndToEnd.StartAsync(model);
        return (bot, new Dictionary<string, string> { ["AnswerLog__Path"] = bot.DatabasePath }, null);
    }
}

/// <summary>The cross-process retraction on a shared PostgreSQL log.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PostgresReviewFromAnotherProcessTests : ReviewFromAnotherProcessTests
{
    public PostgresReviewFromAnotherProcessTests(SharedModel model)
        : base(model)
    {
    }

    private protected override async Task<(ModerationEndToEnd, Dictionary<string, string>, IAsyncDisposable?)> StartAsync(SharedModel model)
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var bot = await ModerationEndToEnd.StartOnPostgresAsync(model, database.ConnectionString);
        return (bot, new Dictionary<string, string> { ["AnswerLog__Provider"] = "Postgres", ["AnswerLog__ConnectionString"] = database.ConnectionString }, database);
    }
}
