using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// One labelled question of an evaluation set: what a reader asks, about which article, and what
/// a correct reply must contain (phrases the quotes must cover) or that the bot must abstain.
/// </summary>
public sealed record EvalCase
{
    /// <summary>The case's name in reports, e.g. <c>caravan-001</c>; unique within a set.</summary>
    public required string Id { get; init; }

    /// <summary><see cref="EvalSet.DefaultArticle"/> or the name of a file under the set's <c>articles/</c> folder.</summary>
    public required string Article { get; init; }

    /// <summary>The question exactly as the reader would type it (may be empty).</summary>
    public required string Question { get; init; }

    /// <summary>
    /// Phrases that must all occur in the quotes of a correct answer; empty when the bot is expected to abstain.
    /// </summary>
    public required IReadOnlyList<string> ExpectedPhrases { get; init; }

    /// <summary>True when the correct reply is an abstention.</summary>
    public bool ExpectsAbstention => ExpectedPhrases.Count == 0;

    /// <summary>The abstention reason the labeller expects, when given; counted apart from correctness.</summary>
    public AbstentionReason? ExpectedReason { get; init; }

    /// <summary>A free label for grouping (what, who, off_topic, …); null when not given.</summary>
    public string? Category { get; init; }

    /// <summary>1-based line of the case in its file, for error messages and reports.</summary>
    public int LineNumber { get; init; }
}
