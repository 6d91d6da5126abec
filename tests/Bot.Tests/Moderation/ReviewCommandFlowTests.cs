using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using static CaravanBot.Bot.Tests.Moderation.ModerationPayloads;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary><c>/review queue</c> and <c>/review stats</c>, through the loopback Discord.</summary>
public sealed class ReviewCommandFlowTests
{
    private static async Task AskManyAsync(ModerationHarness bot, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            // Each from another reader: one reader may ask five questions a minute.
            await bot.MessageAsync(Mention($"question number {i}?", (ulong)(6300 + i), authorId: (ulong)(5100 + i)));
        }
    }

    private static string[] EntryNames(JsonElement message) =>
        message.Embed().TryGetProperty("fields", out var fields)
            ? fields.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToArray()
            : [];

    private static JsonElement PageButton(JsonElement page, int index) => page.Buttons()[index];

    [Theory]
    [InlineData("rq:all:2147483647")]
    [InlineData("rq:flagged:100001")]
    [InlineData("rq:all:99999999999999999999")]
    public async Task A_queue_page_beyond_any_offset_is_an_unknown_button_not_an_overflow(string customId)
    {
        await using var bot = await ModerationHarness.StartAsync();
        await AskManyAsync(bot, 1);

        await bot.InteractionAsync(Button(customId, InteractionChannel(bot), "6400", Invoker.Moderator, ephemeral: true));

        var reply = bot.LastCallback();
        Assert.Equal(4, reply.GetProperty("type").GetInt32());
        Assert.Equal(64, reply.GetProperty("data").Flags());
        Assert.DoesNotContain("Sorry, something went wrong", reply.GetProperty("data").Content() ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(bot.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task The_last_page_a_button_may_name_still_shows_an_empty_page()
    {
        await using var bot = await ModerationHarness.StartAsync();
        await AskManyAsync(bot, 1);

        await bot.InteractionAsync(Button($"rq:all:{ModerationCustomIds.MaxQueuePage}", InteractionChannel(bot), "6400", Invoker.Moderator, ephemeral: true));

        var page = bot.LastCallback();
        Assert.Equal(7, page.GetProperty("type").GetInt32());
        Assert.Empty(EntryNames(page.GetProperty("data")));
    }

    [Fact]
    public async Task Review_queue_lists_the_latest_answers_privately_and_pages_with_previous_and_next()
    {
        await using var bot = await ModerationHarness.StartAsync();
        await AskManyAsync(bot, 7);

        await bot.InteractionAsync(ReviewQueue(null, Invoker.Moderator));

        var first = bot.LastCallback();
        Assert.Equal(4, first.GetProperty("type").GetInt32());
        var page = first.GetProperty("data");
        Assert.Equal(64, page.Flags());
        Assert.Equal("Answers: all statuses, page 1", page.Embed().Title());
        Assert.Equal(["#7 · New · 👍 0 👎 0", "#6 · New · 👍 0 👎 0", "#5 · New · 👍 0 👎 0", "#4 · New · 👍 0 👎 0", "#3 · New · 👍 0 👎 0"], EntryNames(page));
        Assert.StartsWith("question number 7?\nreader5107 · [Open the reply](https://discord.com/channels/3000/4000/", page.Embed().GetProperty("fields")[0].GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal(["rq:all:0", "rq:all:1"], page.CustomIds());
        Assert.True(PageButton(page, 0).GetProperty("disabled").GetBoolean());
        Assert.False(PageButton(page, 1).GetProperty("disabled").GetBoolean());

        await bot.InteractionAsync(Button("rq:all:1", InteractionChannel(bot), "6400", Invoker.Moderator, ephemeral: true));
        var second = bot.LastCallback();
        Assert.Equal(7, second.GetProperty("type").GetInt32());
        Assert.Equal(["#2 · New · 👍 0 👎 0", "#1 · New · 👍 0 👎 0"], EntryNames(second.GetProperty("data")));
        Assert.Equal("Answers: all statuses, page 2", second.GetProperty("data").Embed().Title());
        Assert.Equal(["rq:all:0", "rq:all:2"], second.GetProperty("data").CustomIds());
        Assert.True(PageButton(second.GetProperty("data"), 1).GetProperty("disabled").GetBoolean());

        await bot.InteractionAsync(Button("rq:all:0", InteractionChannel(bot), "6400", Invoker.Moderator, ephemeral: true));
        Assert.Equal("#7 · New · 👍 0 👎 0", EntryNames(bot.LastCallback().GetProperty("data"))[0]);
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Review_queue_with_a_status_lists_only_that_status()
    {
        await using var bot = await ModerationHarness.StartAsync();
        await AskManyAsync(bot, 3);
        var second = bot.Log.All[1];
        await bot.InteractionAsync(Button(ModerationCustomIds.ReviewButton(ReviewAction.Flag, second.Id), ReviewChannelId, second.ReviewMessageId!, Invoker.Moderator));

        await bot.InteractionAsync(ReviewQueue("flagged", Invoker.Moderator));

        var page = bot.LastCallback().GetProperty("data");
        Assert.Equal("Answers: Flagged, page 1", page.Embed().Title());
        Assert.Equal(["#2 · Flagged · 👍 0 👎 0"], EntryNames(page));
        Assert.Equal(["rq:flagged:0", "rq:flagged:1"], page.CustomIds());

        await bot.InteractionAsync(ReviewQueue("retracted", Invoker.Moderator));
        Assert.Equal("No answers here.", bot.LastCallback().GetProperty("data").Embed().Description());
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Review_stats_shows_counts_per_status_the_abstention_rate_votes_and_unanswered_questions()
    {
        await using var bot = await ModerationHarness.StartAsync();
        bot.Answers.Respond = q => q.Contains("France", StringComparison.Ordinal) || q.Contains("weather", StringComparison.Ordinal)
            ? FixedAnswerService.Abstained(q)
            : FixedAnswerService.DefaultAnswer(q);
        await bot.MessageAsync(Mention("what does Mexico want?", 6501));
        await bot.MessageAsync(Mention("what is the capital of France?", 6502));
        await bot.MessageAsync(Mention("What is the capital of France?", 6503));
        await bot.MessageAsync(Mention("what is the weather in Tapachula?", 6504));
        var answered = bot.Log.All[0];
        await bot.InteractionAsync(Button(ModerationCustomIds.ReviewButton(ReviewAction.Approve, 1), ReviewChannelId, answered.ReviewMessageId!, Invoker.Moderator));
        await bot.InteractionAsync(Button("fb:up:1", ChannelId, answered.ReplyMessageId!, Invoker.Reader));
        await bot.InteractionAsync(Button("fb:up:1", ChannelId, answered.ReplyMessageId!, Invoker.ReaderNumber(SecondReaderId)));

        await bot.InteractionAsync(ReviewStats(Invoker.Moderator));

        var stats = bot.LastCallback().GetProperty("data");
        Assert.Equal(64, stats.Flags());
        var embed = stats.Embed();
        Assert.Equal("Answer log", embed.Title());
        var fields = embed.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("value").GetString()!);
        Assert.Equal("3", fields["New"]);
        Assert.Equal("1", fields["Approved"]);
        Assert.Equal("0", fields["Flagged"]);
        Assert.Equal("4", fields["Replies logged"]);
        Assert.Equal("1", fields["Answered"]);
        Assert.Equal("3 (75% of all replies)", fields["Abstentions"]);
        Assert.Equal("👍 2 · 👎 0", fields["Reader votes"]);
        Assert.Equal("1. what is the capital of France? — 2×\n2. what is the weather in Tapachula? — 1×", fields["Most asked, not answered"]);
        bot.AssertEveryBodyValid();
    }

    [Theory]
    [InlineData("queue")]
    [InlineData("stats")]
    [InlineData("page")]
    public async Task A_reader_using_review_is_refused_privately(string what)
    {
        await using var bot = await ModerationHarness.StartAsync();
        await AskManyAsync(bot, 1);

        await bot.InteractionAsync(what switch
        {
            "queue" => ReviewQueue(null, Invoker.Reader),
            "stats" => ReviewStats(Invoker.Reader),
            _ => Button("rq:all:1", ChannelId, "6400", Invoker.Reader, ephemeral: true),
        });

        var refusal = bot.LastCallback();
        Assert.Equal(4, refusal.GetProperty("type").GetInt32());
        Assert.Equal(64, refusal.GetProperty("data").Flags());
        Assert.Equal("Only moderators can review answers (Manage Messages permission or a moderator role).", refusal.GetProperty("data").Content());
        Assert.False(refusal.GetProperty("data").TryGetProperty("embeds", out _));
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task Review_is_registered_with_the_other_commands_in_a_body_discord_accepts()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.Get<CaravanBot.Bot.Features.CommandRegistrar>().RegisterAsync(new CaravanBot.Bot.Discord.Models.Snowflake(DiscordPayloads.ApplicationId), TestArticle.Article, CancellationToken.None);

        var body = bot.Single("PUT", "/applications/{application_id}/commands").Json;
        var review = body.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "review");
        Assert.False(review.GetProperty("dm_permission").GetBoolean());
        var subcommands = review.GetProperty("options").EnumerateArray().ToArray();
        Assert.Equal([("queue", 1), ("stats", 1)], subcommands.Select(o => (o.GetProperty("name").GetString(), o.GetProperty("type").GetInt32())));
        var status = Assert.Single(subcommands[0].GetProperty("options").EnumerateArray().ToArray());
        Assert.False(status.GetProperty("required").GetBoolean());
        Assert.Equal(["new", "approved", "flagged", "retracted", "corrected"], status.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("value").GetString()));
        bot.AssertEveryBodyValid();
    }

    private static ulong InteractionChannel(ModerationHarness bot) => bot.Server.InteractionChannelId;
}
