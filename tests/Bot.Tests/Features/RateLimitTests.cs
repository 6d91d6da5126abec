using System.Text.Json.Nodes;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Tests.Features;

public sealed class RateLimitTests
{
    private const string Notice = "You're asking faster than I can keep up with: up to 5 questions a minute, please. Try again in a moment.";

    private static System.Text.Json.JsonElement Mention(int i) =>
        DiscordPayloads.Message($"<@1000> question {i} about Mexico?", mentionsBot: true, messageId: (ulong)(6000 + i));

    [Fact]
    public async Task The_sixth_mention_in_a_minute_gets_one_notice_and_the_seventh_is_silent()
    {
        using var bot = new FeatureHarness();

        for (var i = 1; i <= 7; i++)
        {
            await bot.MessageAsync(Mention(i));
        }

        var calls = bot.Rest.Calls;
        Assert.Equal(6, calls.Count);
        Assert.Equal(5, bot.Answers.Questions.Count);
        Assert.All(calls.Take(5), c => Assert.Single(c.Body.GetProperty("embeds").EnumerateArray()));
        var notice = calls[5].Body;
        Assert.Equal(Notice, notice.Content());
        Assert.Equal("6006", notice.GetProperty("message_reference").GetProperty("message_id").GetString());
        notice.AssertPingsNobody();
    }

    [Fact]
    public async Task Over_the_limit_every_interaction_gets_the_notice_privately()
    {
        using var bot = new FeatureHarness();
        var ask = DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("What does Mexico want?")));

        for (var i = 1; i <= 7; i++)
        {
            await bot.InteractionAsync(ask);
        }

        var calls = bot.Rest.Calls;
        Assert.Equal(7, calls.Count);
        Assert.Equal(5, bot.Answers.Questions.Count);
        Assert.All(calls, c => Assert.Equal(4, c.CallbackType));
        foreach (var notice in calls.Skip(5))
        {
            Assert.Equal(Notice, notice.Message.Content());
            Assert.Equal(64, notice.Message.Flags());
        }
    }

    [Fact]
    public async Task Mentions_slash_commands_and_the_message_command_share_one_limit_per_reader()
    {
        using var bot = new FeatureHarness(o => o.QuestionsPerMinute = 2);

        await bot.MessageAsync(Mention(1));
        await bot.InteractionAsync(DiscordPayloads.MessageCommand("What does Mexico want?"));
        await bot.InteractionAsync(DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("And Blinken?"))));

        Assert.Equal(2, bot.Answers.Questions.Count);
        Assert.Contains("2 questions a minute", bot.Rest.Calls[^1].Message.Content(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_reader_has_their_own_limit()
    {
        using var bot = new FeatureHarness(o => o.QuestionsPerMinute = 1);
        var ask = DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("What does Mexico want?")));

        await bot.InteractionAsync(ask);
        await bot.InteractionAsync(DiscordPayloads.FromUser(ask, 5001));
        await bot.InteractionAsync(DiscordPayloads.FromUser(ask, 5002));

        Assert.Equal(3, bot.Answers.Questions.Count);
    }

    [Fact]
    public void A_new_notice_is_due_only_after_a_window_has_passed()
    {
        var time = new ManualTimeProvider();
        using var limiter = new QuestionRateLimiter(permits: 1, window: TimeSpan.FromMinutes(1), time);
        var reader = new Snowflake(42);

        Assert.Equal(new QuestionAdmission(true, false), limiter.Admit(reader));
        Assert.Equal(new QuestionAdmission(false, true), limiter.Admit(reader));
        Assert.Equal(new QuestionAdmission(false, false), limiter.Admit(reader));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(new QuestionAdmission(false, false), limiter.Admit(reader));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new QuestionAdmission(false, true), limiter.Admit(reader));
        Assert.Equal(new QuestionAdmission(false, false), limiter.Admit(reader));
    }

    [Fact]
    public async Task Questions_are_allowed_again_once_the_window_has_slid_past()
    {
        using var limiter = new QuestionRateLimiter(permits: 2, window: TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var reader = new Snowflake(42);

        Assert.True(limiter.Admit(reader).Allowed);
        Assert.True(limiter.Admit(reader).Allowed);
        Assert.False(limiter.Admit(reader).Allowed);

        var deadline = Environment.TickCount64 + 5_000;
        while (!limiter.Admit(reader).Allowed)
        {
            Assert.True(Environment.TickCount64 < deadline, "the limiter never let the reader ask again");
            await Task.Delay(50);
        }
    }
}
