using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>One setting of the abstention thresholds and how it scores on a labelled set.</summary>
/// <param name="Thresholds">The options with the candidate thresholds (weights unchanged).</param>
/// <param name="Correct">Questions answered correctly or correctly declined with these thresholds.</param>
/// <param name="Questions">Questions in the set.</param>
public sealed record ThresholdSetting(RetrievalOptions Thresholds, int Correct, int Questions)
{
    /// <summary>Share of questions handled correctly.</summary>
    public double Accuracy => Questions == 0 ? 0 : (double)Correct / Questions;

    /// <summary>The thresholds as one line.</summary>
    public string Describe() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"AnswerThreshold={Thresholds.AnswerThreshold:F2} OffTopicThreshold={Thresholds.OffTopicThreshold:F2} OffTopicLexicalThreshold={Thresholds.OffTopicLexicalThreshold:F2} UnknownWordsShare={Thresholds.UnknownWordsShare:F2} UnknownWordsDenseCeiling={Thresholds.UnknownWordsDenseCeiling:F2} UnknownWordsLexicalCeiling={Thresholds.UnknownWordsLexicalCeiling:F2}");
}

/// <summary>
/// Chooses the abstention thresholds on a labelled set. Every question is answered once with
/// abstention switched off; each answer's scores then say, for any thresholds, whether the bot
/// would have answered (and been right) or declined (and been right). The grid search keeps the
/// most accurate setting, preferring — on ties — the one that abstains more, since a wrong quote
/// costs a reader more than a polite "the article does not say".
/// </summary>
public static class ThresholdCalibrator
{
    /// <summary>Options identical to <paramref name="options"/> but never abstaining (for the calibration run).</summary>
    public static RetrievalOptions NeverAbstaining(RetrievalOptions options) => options with
    {
        AnswerThreshold = double.NegativeInfinity,
        OffTopicThreshold = double.NegativeInfinity,
        OffTopicLexicalThreshold = double.NegativeInfinity,
        UnknownWordsShare = double.PositiveInfinity,
    };

    /// <summary>
    /// Scores threshold settings against a never-abstaining run, best first: first the off-topic and
    /// answer thresholds (unknown-words gate off), then, with the best of those fixed, the
    /// unknown-words gate, kept only if it adds correct questions.
    /// </summary>
    public static IReadOnlyList<ThresholdSetting> Sweep(EvalReport neverAbstainingRun, RetrievalOptions current)
    {
        var cases = neverAbstainingRun.Results
            .Where(r => r.Answer.Scores.Signals is not null)
            .Select(r => (r.Case.ExpectsAbstention, WouldBeRight: r.Outcome == EvalOutcome.CorrectAnswer, Signals: r.Answer.Scores.Signals!))
            .ToArray();
        var alwaysCorrect = neverAbstainingRun.Results.Count(r => r.Answer.Scores.Signals is null && r.IsCorrect);
        var total = neverAbstainingRun.Results.Count;

        ThresholdSetting Score(RetrievalOptions options) => new(options, alwaysCorrect + cases.Count(c =>
        {
            var declines = AbstentionRule.Decide(c.Signals, options) is not null;
            return c.ExpectsAbstention ? declines : !declines && c.WouldBeRight;
        }), total);

        var gateOff = current with { UnknownWordsShare = double.PositiveInfinity };
        var first = new List<ThresholdSetting>();
        foreach (var answer in Steps(0.10, 0.80, 0.01))
        {
            foreach (var dense in Steps(0.0, 0.80, 0.02))
            {
                foreach (var lexical in Steps(0.0, 1.0, 0.05))
                {
                    first.Add(Score(gateOff with { AnswerThreshold = answer, OffTopicThreshold = dense, OffTopicLexicalThreshold = lexical }));
                }
            }
        }

        var best = Rank(first)[0];
        var second = new List<ThresholdSetting> { best };
        foreach (var share in Steps(0.20, 1.0, 0.05))
        {
            foreach (var dense in Steps(0.30, 0.80, 0.02))
            {
                foreach (var lexical in Steps(0.0, 1.0, 0.1))
                {
                    second.Add(Score(best.Thresholds with { UnknownWordsShare = share, UnknownWordsDenseCeiling = dense, UnknownWordsLexicalCeiling = lexical }));
                }
            }
        }

        return Rank(second);
    }

    // Ties go to the setting that abstains more: a wrong quote costs a reader more than
    // a polite "the article does not say".
    private static List<ThresholdSetting> Rank(IEnumerable<ThresholdSetting> settings) => settings
        .OrderByDescending(s => s.Correct)
        .ThenByDescending(s => s.Thresholds.AnswerThreshold)
        .ThenByDescending(s => s.Thresholds.OffTopicThreshold)
        .ThenBy(s => s.Thresholds.UnknownWordsShare)
        .ToList();

    private static IEnumerable<double> Steps(double from, double to, double step)
    {
        for (var i = 0; from + (i * step) <= to + 1e-9; i++)
        {
            yield return Math.Round(from + (i * step), 2);
        }
    }

    /// <summary>Runs the set with abstention off and sweeps the thresholds.</summary>
    public static async Task<IReadOnlyList<ThresholdSetting>> CalibrateAsync(
        EvalSet set, Article defaultArticle, RetrievalOptions current, Func<Article, IAnswerService> neverAbstainingAnswerer, CancellationToken cancellationToken = default)
    {
        var run = await new EvalRunner(neverAbstainingAnswerer).RunAsync(set, defaultArticle, cancellationToken).ConfigureAwait(false);
        return Sweep(run, current);
    }
}
