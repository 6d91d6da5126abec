namespace CaravanBot.Retrieval.Evaluation;

/// <summary>The outcome of running an evaluation set: figures per article and in total, and every case's result.</summary>
public sealed record EvalReport
{
    /// <summary>Figures for each article, in the order the set first names them.</summary>
    public required IReadOnlyList<EvalFigures> Articles { get; init; }

    /// <summary>Figures for each question category, in the order the set first names them (uncategorised cases are left out).</summary>
    public IReadOnlyList<EvalFigures> Categories { get; init; } = [];

    /// <summary>Figures over the whole set.</summary>
    public required EvalFigures Total { get; init; }

    /// <summary>Every case's result, in set order.</summary>
    public required IReadOnlyList<EvalCaseResult> Results { get; init; }

    /// <summary>The results that were not correct, in set order.</summary>
    public IReadOnlyList<EvalCaseResult> Failures => Results.Where(r => !r.IsCorrect).ToArray();

    /// <summary>Correct replies (answers and abstentions) over all questions; what the test ratchet holds.</summary>
    public double Accuracy => Total.Accuracy;

    /// <summary>Builds the report from results in set order.</summary>
    public static EvalReport From(IReadOnlyList<EvalCaseResult> results) => new()
    {
        Articles = results
            .GroupBy(r => r.Case.Article, StringComparer.Ordinal)
            .Select(g => EvalFigures.From(g.Key, g.ToArray()))
            .ToArray(),
        Categories = results
            .Where(r => r.Case.Category is not null)
            .GroupBy(r => r.Case.Category!, StringComparer.Ordinal)
            .Select(g => EvalFigures.From(g.Key, g.ToArray()))
            .ToArray(),
        Total = EvalFigures.From("total", results),
        Results = results,
    };
}

/// <summary>Counts and rates for a group of results (one article, or the whole set).</summary>
public sealed record EvalFigures
{
    /// <summary>The article or category name, or <c>total</c>.</summary>
    public required string Article { get; init; }

    /// <summary>Questions asked.</summary>
    public required int Questions { get; init; }

    /// <summary>Questions labelled with phrases to find.</summary>
    public required int ExpectedAnswers { get; init; }

    /// <summary>Answers whose quotes held every expected phrase.</summary>
    public required int CorrectAnswers { get; init; }

    /// <summary>Questions labelled <c>abstain</c>.</summary>
    public required int ExpectedAbstentions { get; init; }

    /// <summary>Abstentions where one was expected.</summary>
    public required int CorrectAbstentions { get; init; }

    /// <summary>Expected abstentions whose label gives a reason.</summary>
    public required int ReasonsExpected { get; init; }

    /// <summary>Of those, abstentions that gave that very reason.</summary>
    public required int ReasonsMatched { get; init; }

    /// <summary>Citations in all replies.</summary>
    public required int Citations { get; init; }

    /// <summary>Citations whose quote is exactly the paragraph text they point at.</summary>
    public required int VerifiedCitations { get; init; }

    /// <summary>Median reply latency in milliseconds (nearest rank).</summary>
    public required double LatencyP50Ms { get; init; }

    /// <summary>95th-percentile reply latency in milliseconds (nearest rank).</summary>
    public required double LatencyP95Ms { get; init; }

    /// <summary>Correct answers plus correct abstentions.</summary>
    public int Correct => CorrectAnswers + CorrectAbstentions;

    /// <summary>Correct replies over questions; 0 when there were none.</summary>
    public double Accuracy => Questions == 0 ? 0 : (double)Correct / Questions;

    /// <summary>Verified citations over citations; null when no reply cited anything.</summary>
    public double? QuoteFidelity => Citations == 0 ? null : (double)VerifiedCitations / Citations;

    /// <summary>Adds up <paramref name="results"/> under the label <paramref name="article"/>.</summary>
    public static EvalFigures From(string article, IReadOnlyCollection<EvalCaseResult> results)
    {
        var latencies = results.Select(r => r.Answer.LatencyMs).Order().ToArray();
        return new EvalFigures
        {
            Article = article,
            Questions = results.Count,
            ExpectedAnswers = results.Count(r => !r.Case.ExpectsAbstention),
            CorrectAnswers = results.Count(r => r.Outcome == EvalOutcome.CorrectAnswer),
            ExpectedAbstentions = results.Count(r => r.Case.ExpectsAbstention),
            CorrectAbstentions = results.Count(r => r.Outcome == EvalOutcome.CorrectAbstention),
            ReasonsExpected = results.Count(r => r.ReasonMatched is not null),
            ReasonsMatched = results.Count(r => r.ReasonMatched == true),
            Citations = results.Sum(r => r.Answer.Citations.Count),
            VerifiedCitations = results.Sum(r => r.VerifiedCitations),
            LatencyP50Ms = Percentile(latencies, 50),
            LatencyP95Ms = Percentile(latencies, 95),
        };
    }

    /// <summary>
    /// Nearest-rank percentile of sorted values (0 for none). Nearest rank reports a latency some
    /// reader actually waited, which an interpolated figure need not be.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
