using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Features;

public sealed class AskInteractionTests
{
    private const string CallbackRoute = "/interactions/7000/interaction-token-abc/callback";
    private const string OriginalRoute = "/webhooks/2000/interaction-token-abc/messages/@original";

    private static System.Text.Json.JsonElement Ask(string question, bool? isPrivate = null) =>
        isPrivate is { } p
            ? DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create(question)), ("private", 5, JsonValue.Create(p)))
            : DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create(question)));

    [Fact]
    public async Task Ask_answers_with_one_type_4_callback_in_the_channel()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        var call = bot.Single();
        Assert.Equal(("POST", CallbackRoute), (call.Method, call.Route));
        Assert.Equal(4, call.CallbackType);
        var message = call.Message;
        Assert.Null(message.Flags());
        message.AssertPingsNobody();
        Assert.Equal("What does Mexico want?", message.Embed().Title());
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(message.Embed().Description()));
        Assert.Equal(["src:2", "src:4"], message.CustomIds());
        Assert.Equal(["What does Mexico want?"], bot.Answers.Questions);
    }

    [Fact]
    public async Task Private_true_answers_ephemerally()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(Ask("What does Mexico want?", isPrivate: true));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(64, call.Message.Flags());
        Assert.Equal(["src:2", "src:4"], call.Message.CustomIds());
    }

    [Fact]
    public async Task Private_false_answers_in_the_channel()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(Ask("What does Mexico want?", isPrivate: false));

        Assert.Null(bot.Single().Message.Flags());
    }

    [Fact]
    public async Task DeferAnswers_acknowledges_with_type_5_then_edits_the_original()
    {
        using var bot = new FeatureHarness(o => o.DeferAnswers = true);

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        var calls = bot.Rest.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(("POST", CallbackRoute), (calls[0].Method, calls[0].Route));
        Assert.Equal(5, calls[0].CallbackType);
        Assert.False(calls[0].Body.TryGetProperty("data", out _));
        Assert.Equal(("PATCH", OriginalRoute), (calls[1].Method, calls[1].Route));
        calls[1].Body.AssertPingsNobody();
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(calls[1].Body.Embed().Description()));
        Assert.Equal(["src:2", "src:4"], calls[1].Body.CustomIds());
    }

    [Fact]
    public async Task A_private_deferred_answer_is_ephemeral_from_the_acknowledgement_on()
    {
        using var bot = new FeatureHarness(o => o.DeferAnswers = true);

        await bot.InteractionAsync(Ask("What does Mexico want?", isPrivate: true));

        var calls = bot.Rest.Calls;
        Assert.Equal(5, calls[0].CallbackType);
        Assert.Equal(64, calls[0].Message.Flags());
        Assert.Equal("PATCH", calls[1].Method);
    }

    [Fact]
    public async Task An_answer_service_that_may_be_slow_is_deferred_up_front()
    {
        using var bot = new FeatureHarness();
        bot.Answers.MayMissInteractionDeadline = true;

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        Assert.Equal([("POST", 5), ("PATCH", 0)], bot.Rest.Calls.Select(c => (c.Method, c.Method == "POST" ? c.CallbackType : 0)));
    }

    [Fact]
    public async Task An_answer_not_ready_in_time_is_deferred_and_then_edited_in()
    {
        using var bot = new FeatureHarness(o => o.DeferAfter = TimeSpan.FromMilliseconds(50));
        bot.Answers.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var handling = bot.InteractionAsync(Ask("What does Mexico want?"));
        var acknowledged = await bot.Rest.WaitForAsync(calls => calls.Count == 1);
        Assert.Equal(5, acknowledged[0].CallbackType);
        Assert.False(handling.IsCompleted);

        bot.Answers.Gate.SetResult();
        await handling;

        var calls = bot.Rest.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(("PATCH", OriginalRoute), (calls[1].Method, calls[1].Route));
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(calls[1].Body.Embed().Description()));
    }

    [Fact]
    public async Task The_message_command_answers_the_target_messages_content()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(DiscordPayloads.MessageCommand("so what does Mexico actually want from the US?"));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(["so what does Mexico actually want from the US?"], bot.Answers.Questions);
        Assert.Equal("so what does Mexico actually want from the US?", call.Message.Embed().Title());
        Assert.Equal(["src:2", "src:4"], call.Message.CustomIds());
        call.Message.AssertPingsNobody();
    }

    [Fact]
    public async Task The_message_command_on_a_message_without_text_gets_the_empty_question_reply()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(DiscordPayloads.MessageCommand(string.Empty));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal("Please ask a question about the article.", call.Message.Content());
        Assert.Equal(64, call.Message.Flags());
        Assert.Empty(bot.Answers.Questions);
    }

    [Fact]
    public async Task A_failing_answer_gets_an_ephemeral_apology_as_the_callback()
    {
        using var bot = new FeatureHarness();
        bot.Answers.Respond = _ => throw new InvalidOperationException("index exploded");

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(64, call.Message.Flags());
        Assert.StartsWith("Sorry, something went wrong", call.Message.Content(), StringComparison.Ordinal);
        Assert.Contains(bot.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "index exploded");
    }

    [Fact]
    public async Task A_failure_after_deferring_edits_the_apology_into_the_original()
    {
        using var bot = new FeatureHarness(o => o.DeferAnswers = true);
        bot.Answers.Respond = _ => throw new InvalidOperationException("index exploded");

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        var calls = bot.Rest.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(5, calls[0].CallbackType);
        Assert.Equal(("PATCH", OriginalRoute), (calls[1].Method, calls[1].Route));
        Assert.StartsWith("Sorry, something went wrong", calls[1].Body.Content(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_gets_a_polite_ephemeral_reply()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("summarise"));

        var call = bot.Single();
        Assert.Equal(4, call.CallbackType);
        Assert.Equal(64, call.Message.Flags());
        Assert.Contains("/ask", call.Message.Content(), StringComparison.Ordinal);
        Assert.Empty(bot.Answers.Questions);
    }

    [Fact]
    public async Task An_unknown_button_gets_a_polite_ephemeral_reply()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(DiscordPayloads.Button("vote:up"));

        Assert.Equal(64, bot.Single().Message.Flags());
    }
}
