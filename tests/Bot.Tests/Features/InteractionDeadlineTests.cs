using System.Text.Json.Nodes;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>
/// Discord's 3 seconds for an interaction's first response, under load: answering waits its turn in a few slots,
/// interactions before messages, and an interaction that would wait is acknowledged at once; the deadline counts
/// from when the interaction came off the gateway, not from when a busy bot got to it.
/// </summary>
public sealed class InteractionDeadlineTests
{
    private static System.Text.Json.JsonElement Ask(string question) =>
        DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create(question)));

    [Fact]
    public async Task A_freed_answering_slot_goes_to_a_waiting_interaction_before_earlier_messages()
    {
        var scheduler = new AnswerScheduler(slots: 1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        var holder = scheduler.RunAsync(AnswerPriority.Message, async () => { await release.Task; return 0; }, CancellationToken.None);
        var busyWork = new ManualResetEventSlim();
        var blocking = Task.Run(() => scheduler.RunAsync(AnswerPriority.Message, () => { busyWork.Wait(); return Task.FromResult(0); }, CancellationToken.None));
        await WaitUntilAsync(() => scheduler.IsBusy);

        var messages = Enumerable.Range(0, 3).Select(i => scheduler.RunAsync(AnswerPriority.Message, () => Record($"message {i}"), CancellationToken.None)).ToList();
        var interaction = scheduler.RunAsync(AnswerPriority.Interaction, () => Record("interaction"), CancellationToken.None);
        busyWork.Set();
        await Task.WhenAll([.. messages, interaction, blocking]);
        release.SetResult();
        await holder;

        Assert.Equal(["interaction", "message 0", "message 1", "message 2"], order);

        Task<int> Record(string what)
        {
            lock (order)
            {
                order.Add(what);
            }

            return Task.FromResult(0);
        }
    }

    [Fact]
    public async Task A_cancelled_wait_for_a_slot_does_not_lose_the_slot()
    {
        var scheduler = new AnswerScheduler(slots: 1);
        var busyWork = new ManualResetEventSlim();
        var blocking = Task.Run(() => scheduler.RunAsync(AnswerPriority.Message, () => { busyWork.Wait(); return Task.FromResult(0); }, CancellationToken.None));
        await WaitUntilAsync(() => scheduler.IsBusy);
        using var cancel = new CancellationTokenSource();

        var cancelled = scheduler.RunAsync(AnswerPriority.Interaction, () => Task.FromResult(1), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        busyWork.Set();
        await blocking;

        Assert.Equal(2, await scheduler.RunAsync(AnswerPriority.Message, () => Task.FromResult(2), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(scheduler.IsBusy);
    }

    [Fact]
    public async Task An_ask_arriving_while_every_answering_slot_is_taken_is_acknowledged_at_once_and_answered_after()
    {
        using var bot = new FeatureHarness();
        var scheduler = bot.Get<AnswerScheduler>();
        bot.Answers.BlockingGate = new ManualResetEventSlim();
        var mentions = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(i => Task.Run(() => bot.MessageAsync(DiscordPayloads.Message($"<@1000> question {i}", mentionsBot: true, messageId: 6100 + (ulong)i, authorId: 5100 + (ulong)i))))
            .ToList();
        await WaitUntilAsync(() => scheduler.IsBusy);

        var asking = bot.InteractionAsync(Ask("What does Mexico want?"));
        var acknowledged = await bot.Rest.WaitForAsync(calls => calls.Any(c => c.Route.EndsWith("/callback", StringComparison.Ordinal)), timeoutMs: 5000)
            .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        bot.Answers.BlockingGate.Set();
        await Task.WhenAll([.. mentions, asking]);

        Assert.True(acknowledged, "no callback while the answering slots were taken: the interaction waited for its answer");
        var callback = Assert.Single(bot.Rest.Calls, c => c.Route.EndsWith("/callback", StringComparison.Ordinal));
        Assert.Equal(5, callback.CallbackType);
        var edit = Assert.Single(bot.Rest.Calls, c => c.Method == "PATCH");
        Assert.Equal([TestArticle.Mexico, TestArticle.Blinken], MessageJson.Quotes(edit.Body.Embed().Description()));
    }

    [Fact]
    public async Task The_deferral_deadline_counts_from_when_the_interaction_came_off_the_gateway()
    {
        using var bot = new FeatureHarness(o => o.DeferAfter = TimeSpan.FromSeconds(2));
        bot.Answers.Before = _ => Task.Delay(TimeSpan.FromSeconds(1));
        var interaction = System.Text.Json.JsonSerializer.Deserialize<Interaction>(Ask("What does Mexico want?").GetRawText(), DiscordJson.Options)!;

        // It spent 1.9 s queued before the handler saw it: 0.1 s of the 2 s are left, the answer needs 1 s.
        var receivedAt = TimeProvider.System.GetTimestamp() - (long)(1.9 * TimeProvider.System.TimestampFrequency);
        await bot.Get<InteractionRouter>().HandleAsync(interaction, bot.Bot, receivedAt, CancellationToken.None);

        Assert.Equal([("POST", 5), ("PATCH", 0)], bot.Rest.Calls.Select(c => (c.Method, c.Method == "POST" ? c.CallbackType : 0)));
    }

    [Fact]
    public async Task An_idle_bot_still_answers_directly_with_type_4()
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(Ask("What does Mexico want?"));

        Assert.Equal(4, bot.Single().CallbackType);
    }

    [Theory]
    [InlineData("\"true\"")]
    [InlineData("\"false\"")]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("null")]
    [InlineData("{}")]
    public async Task Private_as_anything_but_a_real_false_answers_privately(string value)
    {
        using var bot = new FeatureHarness();

        await bot.InteractionAsync(DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("What does Mexico want?")), ("private", 5, JsonNode.Parse(value)!)));

        Assert.Equal(64, bot.Single().Message.Flags());
    }

    [Fact]
    public async Task A_huge_command_name_is_logged_cut_short()
    {
        using var bot = new FeatureHarness();
        var name = new string('n', 10_240);

        await bot.InteractionAsync(DiscordPayloads.SlashCommand(name));

        Assert.Contains(bot.Logs.Entries, e => e.Message.Contains("unknown command", StringComparison.Ordinal));
        Assert.All(bot.Logs.Entries, e => Assert.True(e.FullText.Length < 2000, $"a log entry of {e.FullText.Length} characters"));
    }

    [Fact]
    public async Task A_huge_question_is_cut_to_the_longest_a_question_may_be_before_it_is_answered_or_stored()
    {
        using var bot = new FeatureHarness();
        var question = "What does Mexico want? " + new string('x', 100_000);

        await bot.InteractionAsync(Ask(question));

        var asked = Assert.Single(bot.Answers.Questions);
        Assert.Equal(InputBounds.Question, asked.Length);
        Assert.StartsWith("What does Mexico want?", asked, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5);
        }
    }
}
