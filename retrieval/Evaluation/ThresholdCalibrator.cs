using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>One setting of the abstention thresholds and how it scores on a labelled set.</summary>
/// <param name="AnswerThreshold">Candidate <see cref="RetrievalOptions.AnswerThreshold"/>.</param>
/// <param name="OffTopicThreshold">Candidate <see cref="RetrievalOptions.OffTopicThreshold"/>.</param>
/// <param name="OffTopicLexicalThreshold">Candidate <see cref="RetrievalOptions.OffTopicLexicalThreshold"/>.</param>
/// <param name="Correct">Questions answered correctly or correctly declined with these thresholds.</param>
/// <param name="Questions">Questions in the set.</param>
public sealed record ThresholdSetting(double AnswerThreshold, double OffTopicThreshold, double OffTopicLexicalThreshold, int Correct, int Questions)
{
    /// <summary>Share of questions handled correctly.</summary>
    public double Accuracy => Questions == 0 ? 0 : (double)Correct / Questions;
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
    };

    /// <summary>Scores every threshold setting of the grid against a never-abstaining run; best first.</summary>
    public static IReadOnlyList<ThresholdSetting> Sweep(EvalReport neverAbstainingRun)
    {
        var cases = neverAbstainingRun.Results
            .Where(r => r.Answer.Reason != AbstentionReason.EmptyQuestion)
            .Select(r => (r.Case.ExpectsAbstention, WouldBeRight: r.Outcome == EvalOutcome.CorrectAnswer, r.Answer.Scores))
            .ToArray();
        var empty = neverAbstainingRun.Results.Count - cases.Length;
        var emptyCorrect = neverAbstainingRun.Results.Count(r => r.Answer.Reason == AbstentionReason.EmptyQuestion && r.IsCorrect);

        var settings = new List<ThresholdSetting>();
        for (var answer = 0.10; answer <= 0.80001; answer += 0.01)
        {
            for (var dense = 0.0; dense <= 0.80001; dense += 0.02)
            {
                for (var lexical = 0.0; lexical <= 1.00001; lexical += 0.05)
                {
                    var options = new RetrievalOptions { AnswerThreshold = answer, OffTopicThreshold = dense, OffTopicLexicalThreshold = lexical };
                    var correct = emptyCorrect + cases.Count(c =>
                    {
                        var declines = AbstentionRule.Decide(c.Scores.Top, c.Scores.ParagraphDense, c.Scores.ParagraphLexical, options) is not null;
                        return c.ExpectsAbstention ? declines : !declines && c.WouldBeRight;
                    });
                    settings.Add(new ThresholdSetting(Math.Round(answer, 2), Math.Round(dense, 2), Math.Round(lexical, 2), correct, cases.Length + empty));
                }
            }
        }

        return settings
            .OrderByDescending(s => s.Correct)
            .ThenByDescending(s => s.AnswerThreshold)
            .ThenByDescending(s => s.OffTopicThreshold)
            .ToArray();
    }

    /// <summary>Runs the set with abstention off and sweeps the thresholds.</summary>
    public static async Task<IReadOnlyList<ThresholdSetting>> CalibrateAsync(
        EvalSet set, Article defaultArticle, Func<Article, IAnswerService> neverAbstainingAnswerer, CancellationToken cancellationToken = default)
    {
        var run = await new EvalRunner(neverAbstainingAnswerer).RunAsync(set, defaultArticle, cancellationToken).ConfigureAwait(false);
        return Sweep(run);
    }
}
