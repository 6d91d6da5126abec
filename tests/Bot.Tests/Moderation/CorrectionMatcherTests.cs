using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Embeddings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class CorrectionMatcherTests
{
    private readonly InMemoryAnswerLog _log = new();
    private readonly CountingEmbedder _embedder = new();

    private CorrectionMatcher Matcher(ISentenceEmbedder? embedder, IAnswerLog? log = null) =>
        new(Options.Create(new ModerationOptions()), NullLogger<CorrectionMatcher>.Instance, log ?? _log, embedder);

    private async Task<AnswerRecord> CorrectedAsync(string question)
    {
        var id = await _log.RecordAsync(TestRecords.Answer(question));
        return (await _log.CorrectAsync(id, new Correction("The moderator's answer.", [], TestRecords.Moderator, TestRecords.At, TestRecords.Article)))!;
    }

    [Fact]
    public async Task Corrections_are_loaded_from_the_log_once_and_embedded_once()
    {
        await CorrectedAsync("What does Mexico want?");
        await CorrectedAsync("How many migrants are in the caravan?");
        var matcher = Matcher(_embedder);

        await matcher.LoadAsync(default);
        await matcher.LoadAsync(default);
        var match = await matcher.MatchAsync("what does Mexico want", Features.TestArticle.Article, TestRecords.Article, default);

        Assert.Equal(2, matcher.Count);
        Assert.Equal(1L, match!.AnswerId);
        Assert.Equal("The moderator's answer.", match.Correction.Text);
        Assert.Equal(["what does mexico want", "how many migrants are in the caravan", "what does mexico want"], _embedder.Texts);
    }

    [Fact]
    public async Task A_question_with_another_question_word_or_negation_never_matches_however_close()
    {
        await CorrectedAsync("When will Blinken meet López Obrador?");
        var matcher = Matcher(new ConstantEmbedder());

        Assert.NotNull(await matcher.MatchAsync("When is Blinken meeting López Obrador?", Features.TestArticle.Article, TestRecords.Article, default));
        Assert.Null(await matcher.MatchAsync("Where will Blinken meet López Obrador?", Features.TestArticle.Article, TestRecords.Article, default));
        Assert.Null(await matcher.MatchAsync("When won't Blinken meet López Obrador?", Features.TestArticle.Article, TestRecords.Article, default));
    }

    [Fact]
    public async Task Below_the_threshold_nothing_is_served()
    {
        await CorrectedAsync("What does Mexico want?");
        var matcher = new CorrectionMatcher(Options.Create(new ModerationOptions { CorrectionSimilarity = 1 }), NullLogger<CorrectionMatcher>.Instance, _log, _embedder);

        Assert.Null(await matcher.MatchAsync("What does Mexico wish for?", Features.TestArticle.Article, TestRecords.Article, default));
    }

    [Fact]
    public async Task Without_an_embedder_only_the_same_question_matches_ignoring_case_and_punctuation()
    {
        await CorrectedAsync("What does Mexico want?");
        var matcher = Matcher(embedder: null);

        Assert.Equal(1, (await matcher.MatchAsync("  what does MEXICO want ", Features.TestArticle.Article, TestRecords.Article, default))!.Similarity);
        Assert.Null(await matcher.MatchAsync("What is Mexico asking the US for?", Features.TestArticle.Article, TestRecords.Article, default));
    }

    [Fact]
    public async Task A_new_correction_is_served_at_once_and_a_retracted_one_no_more()
    {
        var matcher = Matcher(_embedder);
        await matcher.LoadAsync(default);
        var record = await CorrectedAsync("What does Mexico want?");

        matcher.Apply(record);
        Assert.NotNull(await matcher.MatchAsync("What does Mexico want?", Features.TestArticle.Article, TestRecords.Article, default));

        matcher.Apply((await _log.ChangeStatusAsync(record.Id, AnswerStatus.Retracted, TestRecords.Moderator, null))!);
        Assert.Equal(0, matcher.Count);
        Assert.Null(await matcher.MatchAsync("What does Mexico want?", Features.TestArticle.Article, TestRecords.Article, default));
    }

    [Fact]
    public async Task A_log_that_fails_to_load_leaves_the_engine_to_answer_and_is_tried_again()
    {
        await CorrectedAsync("What does Mexico want?");
        var matcher = Matcher(_embedder);
        _log.Fail = new InvalidOperationException("locked");

        Assert.Null(await matcher.MatchAsync("What does Mexico want?", Features.TestArticle.Article, TestRecords.Article, default));

        _log.Fail = null;
        Assert.NotNull(await matcher.MatchAsync("What does Mexico want?", Features.TestArticle.Article, TestRecords.Article, default));
    }

    [Fact]
    public async Task Without_an_answer_log_nothing_is_loaded_embedded_or_matched()
    {
        var matcher = new CorrectionMatcher(Options.Create(new ModerationOptions()), NullLogger<CorrectionMatcher>.Instance, log: null, _embedder);

        await matcher.LoadAsync(default);

        Assert.Null(await matcher.MatchAsync("What does Mexico want?", Features.TestArticle.Article, TestRecords.Article, default));
        Assert.Empty(_embedder.Texts);
    }

    /// <summary>Embeds by the words' letters, so equal texts are equal vectors; records what it embedded.</summary>
    private sealed class CountingEmbedder : ISentenceEmbedder
    {
        public List<string> Texts { get; } = [];

        public int Dimensions => 26;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Texts.AddRange(texts);
            return texts.Select(text =>
            {
                var vector = new float[Dimensions];
                foreach (var c in text.Where(char.IsAsciiLetterLower))
                {
                    vector[c - 'a']++;
                }

                VectorMath.Normalize(vector);
                return vector;
            }).ToArray();
        }
    }

    /// <summary>Every text is the same vector: only the question form can tell questions apart.</summary>
    private sealed class ConstantEmbedder : ISentenceEmbedder
    {
        public int Dimensions => 2;

        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) =>
            texts.Select(_ => new[] { 1f, 0f }).ToArray();
    }
}
