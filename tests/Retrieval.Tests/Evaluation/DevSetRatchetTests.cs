using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Evaluation;

/// <summary>
/// The labelled dev set (tests/eval/questions.jsonl, 147 questions over four articles) must not
/// get worse. The floors are the figures reached when they were last raised; raise them when
/// answers improve, never lower them to make a change pass.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DevSetRatchetTests
{
    // Reached: 120 of 147 (81.6 %): 97 of 116 answers, 23 of 31 abstentions; fidelity 100 %.
    private const double MinimumAccuracy = 0.81;
    private const int MinimumCorrectAnswers = 96;
    private const int MinimumCorrectAbstentions = 22;

    private readonly EngineFixture _engine;

    public DevSetRatchetTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public async Task The_dev_set_scores_at_least_the_recorded_level_with_every_quote_verbatim()
    {
        var set = EvalSet.Load(Path.Combine(EngineFixture.EvalDirectory, "questions.jsonl"));
        var runner = new EvalRunner(_engine.Factory);

        var report = await runner.RunAsync(set, ArticleReader.ReadFile(EngineFixture.SeedArticlePath));

        var failures = string.Join(Environment.NewLine, report.Failures.Select(f => $"{f.Case.Id}: {f.Case.Question}"));
        Assert.True(report.Accuracy >= MinimumAccuracy, $"accuracy {report.Accuracy:P1} fell below {MinimumAccuracy:P1}; failures:{Environment.NewLine}{failures}");
        Assert.True(report.Total.CorrectAnswers >= MinimumCorrectAnswers, $"{report.Total.CorrectAnswers} correct answers, expected at least {MinimumCorrectAnswers}");
        Assert.True(report.Total.CorrectAbstentions >= MinimumCorrectAbstentions, $"{report.Total.CorrectAbstentions} correct abstentions, expected at least {MinimumCorrectAbstentions}");
        Assert.Equal(report.Total.Citations, report.Total.VerifiedCitations);
        Assert.True(report.Total.Citations > 0);
    }

    [Fact]
    public async Task Calibration_finds_no_threshold_setting_much_better_than_the_shipped_one()
    {
        var set = EvalSet.Load(Path.Combine(EngineFixture.EvalDirectory, "questions.jsonl"));
        var factory = new CaravanBot.Retrieval.Answering.ArticleAnswererFactory(_engine.Embedder, ThresholdCalibrator.NeverAbstaining(_engine.Options), new CaravanBot.Retrieval.Prompts.PromptProvider());
        var shipped = await new EvalRunner(_engine.Factory).RunAsync(set, ArticleReader.ReadFile(EngineFixture.SeedArticlePath));

        var settings = await ThresholdCalibrator.CalibrateAsync(set, ArticleReader.ReadFile(EngineFixture.SeedArticlePath), _engine.Options, a => factory.Create(a));

        // The shipped thresholds came from this sweep: the best setting may beat them by at most one question.
        Assert.True(settings[0].Correct - shipped.Total.Correct <= 1, $"calibration now reaches {settings[0].Correct} with {settings[0].Describe()}, shipped thresholds {shipped.Total.Correct}");
    }
}
