using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using static CaravanBot.Bot.Tests.Moderation.ModerationPayloads;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>Questions that mean the same as a corrected one get the correction, marked as verified by a moderator (real embedder).</summary>
public sealed class CorrectionServingFlowTests : IClassFixture<MiniLmFixture>
{
    private const string Corrected = "Mexico wants the US to lift its sanctions on Cuba and Venezuela and to send development aid to the region.";
    private const string Citation = "¶2: Mexico wants sanctions on Cuba and Venezuela lifted";

    private readonly MiniLmFixture _model;

    public CorrectionServingFlowTests(MiniLmFixture model)
    {
        _model = model;
    }

    private static async Task CorrectFirstAnswerAsync(ModerationHarness bot)
    {
        await bot.MessageAsync(Mention("What does Mexico want?", 6601));
        var record = bot.Log.All[0];
        await bot.InteractionAsync(Modal(ModerationCustomIds.CorrectionModal(record.Id), Invoker.Moderator, ReviewChannelId, record.ReviewMessageId, ("text", Corrected), ("citations", Citation)));
        Assert.Equal(AnswerStatus.Corrected, bot.Log.All[0].Status);
    }

    [Fact]
    public async Task A_paraphrased_question_later_gets_the_correction_marked_moderator_verified()
    {
        await using var bot = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        await CorrectFirstAnswerAsync(bot);

        await bot.MessageAsync(Mention("What is Mexico asking the US for?", 6602, authorId: SecondReaderId));

        var reply = bot.Requests("POST", "/channels/4000/messages")[^1].Json;
        var description = reply.Embed().Description();
        Assert.StartsWith("✅ Moderator-verified answer\n" + Corrected, description, StringComparison.Ordinal);
        Assert.Equal(["Mexico wants sanctions on Cuba and Venezuela lifted"], MessageJson.Quotes(description));
        Assert.Equal([2], MessageJson.Attributions(description));
        Assert.Equal("What is Mexico asking the US for?", reply.Embed().Title());
        Assert.Equal(["src:2", "fb:up:2", "fb:down:2"], reply.CustomIds());

        // The engine was not asked; the log says what was served and from which correction.
        Assert.Equal(["What does Mexico want?"], bot.Answers.Questions);
        var served = bot.Log.All[1];
        Assert.Equal(("correction", 1L), (served.Answer.Mode, served.Answer.ServedCorrectionOf));
        Assert.Equal(Corrected, served.Answer.AnswerText);
        Assert.Equal("5001", served.Answer.Asker.Id);
        var card = bot.Requests("POST", "/channels/7700/messages")[^1].Json.Embed();
        Assert.Contains(card.GetProperty("fields").EnumerateArray(), f => f.GetProperty("value").GetString() == "Served the correction of answer #1");
        bot.AssertEveryBodyValid();
    }

    [Fact]
    public async Task A_question_that_means_something_else_is_answered_by_the_engine()
    {
        await using var bot = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        await CorrectFirstAnswerAsync(bot);

        await bot.MessageAsync(Mention("What does the US want?", 6603, authorId: SecondReaderId));

        var description = bot.Requests("POST", "/channels/4000/messages")[^1].Json.Embed().Description();
        Assert.StartsWith(FixedAnswerService.LeadIn, description, StringComparison.Ordinal);
        Assert.Equal(["What does Mexico want?", "What does the US want?"], bot.Answers.Questions);
        Assert.Equal("extractive", bot.Log.All[1].Answer.Mode);
    }

    [Fact]
    public async Task A_slash_question_is_served_the_correction_too()
    {
        await using var bot = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        await CorrectFirstAnswerAsync(bot);

        await bot.InteractionAsync(Ask("what does mexico want from the united states", by: Invoker.ReaderNumber(SecondReaderId)));

        var data = bot.LastCallback().GetProperty("data");
        Assert.StartsWith("✅ Moderator-verified answer", data.Embed().Description(), StringComparison.Ordinal);
        Assert.Equal(1L, bot.Log.All[1].Answer.ServedCorrectionOf);
    }

    [Fact]
    public async Task Corrections_already_in_the_log_are_served_after_a_restart()
    {
        await using var first = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        await CorrectFirstAnswerAsync(first);
        await using var restarted = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        foreach (var record in first.Log.All)
        {
            await restarted.Log.RecordAsync(record.Answer);
            await restarted.Log.CorrectAsync(record.Id, record.Correction!);
        }

        await restarted.Get<CorrectionMatcher>().LoadAsync(CancellationToken.None);
        await restarted.MessageAsync(Mention("What is Mexico asking the US for?", 6604));

        Assert.Equal(1, restarted.Get<CorrectionMatcher>().Count);
        Assert.StartsWith("✅ Moderator-verified answer", restarted.Requests("POST", "/channels/4000/messages")[^1].Json.Embed().Description(), StringComparison.Ordinal);
        Assert.Empty(restarted.Answers.Questions);
    }

    [Fact]
    public async Task A_retracted_correction_is_no_longer_served()
    {
        await using var bot = await ModerationHarness.StartAsync(embedder: _model.Embedder);
        await CorrectFirstAnswerAsync(bot);
        var record = bot.Log.All[0];

        await bot.InteractionAsync(Button(ModerationCustomIds.ReviewButton(ReviewAction.Retract, record.Id), ReviewChannelId, record.ReviewMessageId!, Invoker.Moderator));
        await bot.MessageAsync(Mention("What is Mexico asking the US for?", 6605, authorId: SecondReaderId));

        Assert.Equal(0, bot.Get<CorrectionMatcher>().Count);
        Assert.Equal(2, bot.Answers.Questions.Count);
        Assert.Equal("extractive", bot.Log.All[1].Answer.Mode);
    }
}
