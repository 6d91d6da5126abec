using System.Globalization;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Embeddings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>
/// The calibration of <see cref="ModerationOptions.CorrectionSimilarity"/>, with the real embedder: labelled
/// pairs about the seed article, a corrected question and a later one, that mean the same (true) or not
/// (false). Many negatives are one word apart on purpose, since those are what a wrong match looks like.
/// Procedure (as recorded on the option): score every threshold from 0.60 to 0.95 in steps of 0.01;
/// keep those with the fewest errors; of those keep the ones serving the fewest wrong corrections; pick
/// one in the gap between the nearest labelled pairs on either side.
/// </summary>
public sealed class CorrectionMatcherCalibrationTests : IClassFixture<MiniLmFixture>
{
    /// <summary>Different pairs the chosen threshold serves a correction for, as recorded on the option.</summary>
    private const int RecordedFalseMatches = 2;

    /// <summary>Paraphrases the chosen threshold misses, as recorded on the option.</summary>
    private const int RecordedMissedParaphrases = 16;

    private static readonly (bool Same, string Corrected, string Asked)[] Pairs =
    [
        (true, "What does Mexico want?", "What is Mexico asking the US for?"),
        (true, "How many migrants are in the caravan?", "How big is the migrant caravan?"),
        (true, "Who is Blinken meeting in Mexico?", "Which officials will Blinken meet in Mexico City?"),
        (true, "When will Blinken meet López Obrador?", "On what day is Blinken's meeting with the Mexican president?"),
        (true, "Where did the families spend Christmas?", "Where did the migrant families sleep on Christmas Day?"),
        (true, "How far is the trek to the US border?", "How long is the journey the migrants face to reach the border?"),
        (true, "Where are the migrants from?", "What countries do the migrants come from?"),
        (true, "Why did the US close railway crossings?", "Why were the rail crossings in Texas shut?"),
        (true, "What did John Kirby say?", "What was the White House spokesman's comment about the visit?"),
        (true, "How many migrants were arrested this month?", "How many arrests were there at the southwestern border this month?"),
        (true, "What did the caravan organiser say about the summit?", "What did Luis García Villagrán think of the meeting?"),
        (true, "What were the migrants fed on Christmas?", "What food did the migrants get on Christmas Day?"),
        (true, "what does mexico want from the US", "What are Mexico's demands?"),
        (true, "Is this the biggest caravan?", "Is the caravan the largest in over a year?"),
        (true, "What does Mexico want?", "what does mexico want from the united states"),
        (true, "What does Mexico want?", "What are Mexico's conditions for helping?"),
        (true, "How many migrants are in the caravan?", "how many people are in the caravan"),
        (true, "How many migrants are in the caravan?", "How many people are travelling in the migrant caravan?"),
        (true, "Who is going to Mexico with Blinken?", "Who is travelling with Blinken to Mexico?"),
        (true, "Where did the families spend Christmas?", "where did migrant families spend christmas day"),
        (true, "Why is Blinken going to Mexico?", "What is the purpose of Blinken's trip to Mexico?"),
        (true, "What did the Mexican president say?", "What did López Obrador say?"),
        (true, "How far do the migrants have to walk?", "How long is the trek to the US border?"),
        (true, "Where is the caravan going?", "What is the caravan's destination?"),
        (true, "What does Mexico want?", "what does mexico want"),
        (true, "How many migrants are in the caravan?", "How many migrants are in the caravan??"),
        (true, "When will Blinken meet López Obrador?", "When is Blinken meeting López Obrador?"),
        (true, "Where are the migrants from?", "Where do the migrants come from?"),
        (false, "What does Mexico want?", "What does the US want?"),
        (false, "How many migrants are in the caravan?", "How many migrants were arrested this month?"),
        (false, "Who is Blinken meeting in Mexico?", "Who organised the caravan?"),
        (false, "When will Blinken meet López Obrador?", "Where will Blinken meet López Obrador?"),
        (false, "Where did the families spend Christmas?", "What did the families eat on Christmas Day?"),
        (false, "How far is the trek to the US border?", "How many migrants crossed the Guatemalan border?"),
        (false, "Where are the migrants from?", "Where are the migrants going?"),
        (false, "Why did the US close railway crossings?", "Why is immigration reform deadlocked?"),
        (false, "What did John Kirby say?", "What did the Mexican president say?"),
        (false, "What does Mexico want?", "What has Mexico offered to do?"),
        (false, "What were the migrants fed on Christmas?", "Who fed the migrants on Christmas?"),
        (false, "Is this the biggest caravan?", "Is the caravan the first to reach the border?"),
        (false, "What does Mexico want?", "What is the capital of France?"),
        (false, "How many migrants are in the caravan?", "How many children are in the caravan?"),
        (false, "Why is Blinken going to Mexico?", "When is Blinken going to Mexico?"),
        (false, "What did the Mexican president say?", "What did the migrant from Venezuela say?"),
        (false, "Where is the caravan going?", "Where did the caravan cross the border?"),
        (false, "How many migrants are in the caravan?", "How many migrants are from Venezuela?"),
        (false, "What does Mexico want?", "What does Mexico want to do about Venezuela?"),
        (false, "Who is going to Mexico with Blinken?", "Who will Blinken meet in Mexico?"),
        (false, "What did López Obrador say?", "What did Blinken say?"),
        (false, "Why did the US close railway crossings?", "Which railway crossings did the US close?"),
        (false, "How far do the migrants have to walk?", "How long have the migrants been walking?"),
        (false, "What does Mexico want?", "What does Mexico not want?"),
    ];

    private readonly ISentenceEmbedder _embedder;

    public CorrectionMatcherCalibrationTests(MiniLmFixture fixture)
    {
        _embedder = fixture.Embedder;
    }

    [Fact]
    public void The_labelled_list_is_balanced_enough_to_calibrate_on()
    {
        Assert.Equal(52, Pairs.Length);
        Assert.Equal(28, Pairs.Count(p => p.Same));
        Assert.Contains(Pairs, p => p is (true, "What does Mexico want?", "What is Mexico asking the US for?"));
        Assert.Contains(Pairs, p => p is (false, "What does Mexico want?", "What does the US want?"));
    }

    [Fact]
    public async Task The_configured_matcher_misclassifies_no_more_pairs_than_recorded()
    {
        var falseMatches = new List<string>();
        var missed = new List<string>();
        foreach (var (same, corrected, asked) in Pairs)
        {
            var matcher = Matcher(ModerationOptions.CalibratedCorrectionSimilarity);
            matcher.Apply(TestRecords.Corrected(1, corrected));
            var matched = await matcher.MatchAsync(asked, Features.TestArticle.Article, TestRecords.Article, CancellationToken.None) is not null;
            if (matched && !same)
            {
                falseMatches.Add($"{corrected} / {asked}");
            }
            else if (!matched && same)
            {
                missed.Add($"{corrected} / {asked}");
            }
        }

        Assert.True(falseMatches.Count <= RecordedFalseMatches, "Serves a correction for questions that differ: " + string.Join("; ", falseMatches));
        Assert.True(missed.Count <= RecordedMissedParaphrases, $"Misses {missed.Count} paraphrases: " + string.Join("; ", missed));
        Assert.Equal(0.79, new ModerationOptions().CorrectionSimilarity);
    }

    [Fact]
    public void The_recorded_threshold_is_where_the_procedure_lands()
    {
        var scored = Pairs.Select(p => (p.Same, Form: QuestionForm.SameForm(p.Corrected, p.Asked), Cosine: Cosine(p.Corrected, p.Asked))).ToArray();
        var sweep = Enumerable.Range(60, 36).Select(i => i / 100.0).Select(threshold =>
        {
            var falseMatches = scored.Count(s => !s.Same && s.Form && s.Cosine >= threshold);
            var missed = scored.Count(s => s.Same && !(s.Form && s.Cosine >= threshold));
            return (Threshold: threshold, Errors: falseMatches + missed, FalseMatches: falseMatches);
        }).ToArray();
        var fewestErrors = sweep.Min(s => s.Errors);
        var safest = sweep.Where(s => s.Errors == fewestErrors).Min(s => s.FalseMatches);
        var chosen = sweep.Single(s => Math.Abs(s.Threshold - ModerationOptions.CalibratedCorrectionSimilarity) < 1e-9);
        var report = string.Join("\n", sweep.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Threshold:0.00}: {s.Errors} errors, {s.FalseMatches} false matches")));

        Assert.True(chosen.Errors == fewestErrors, report);
        Assert.True(chosen.FalseMatches == safest, report);

        // The threshold sits between the nearest pairs on either side, not on top of one.
        var margin = scored.Where(s => s.Form).Min(s => Math.Abs(s.Cosine - ModerationOptions.CalibratedCorrectionSimilarity));
        Assert.True(margin >= 0.002, string.Create(CultureInfo.InvariantCulture, $"a labelled pair lies within {margin:0.0000} of the threshold"));
    }

    [Fact]
    public void The_question_form_rejects_the_near_duplicates_that_embeddings_cannot_tell_apart()
    {
        // Cosine alone would serve these: both over 0.9.
        Assert.True(Cosine("When will Blinken meet López Obrador?", "Where will Blinken meet López Obrador?") > 0.9);
        Assert.True(Cosine("What were the migrants fed on Christmas?", "Who fed the migrants on Christmas?") > 0.9);
        Assert.False(QuestionForm.SameForm("When will Blinken meet López Obrador?", "Where will Blinken meet López Obrador?"));
        Assert.False(QuestionForm.SameForm("What were the migrants fed on Christmas?", "Who fed the migrants on Christmas?"));
    }

    private double Cosine(string first, string second)
    {
        var vectors = _embedder.Embed([QuestionForm.Normalise(first), QuestionForm.Normalise(second)]);
        return VectorMath.Dot(vectors[0], vectors[1]);
    }

    private CorrectionMatcher Matcher(double threshold) => new(
        Options.Create(new ModerationOptions { CorrectionSimilarity = threshold }),
        NullLogger<CorrectionMatcher>.Instance,
        new InMemoryAnswerLog(),
        _embedder);
}
