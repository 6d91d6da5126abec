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

    /// <summary><see cref="EvalSet.DefaultArticle"/>, the name of a file under the set's <c>articles/</c> folder, or a page named in its <c>pages.json</c>.</summary>
    public required string Article { get; init; }

    /// <summary>The question exactly as the reader would type it (may be empty).</summary>
    public required string Question { get; init; }

    /// <summary>
    /// What a correct answer's quotes must contain: every item, where an item is satisfied by any
    /// one of its alternative phrases (the article may state the same fact in two sentences).
    /// Empty when the bot is expected to abstain.
    /// </summary>
    public required IReadOnlyList<IReadOnlyList<string>> ExpectedItems { get; init; }

    /// <summary>The first phrase of each expected item, for reports.</summary>
    public IReadOnlyList<string> ExpectedPhrases => ExpectedItems.Select(i => i[0]).ToArray();

    /// <summary>True when the correct reply is an abstention.</summary>
    public bool ExpectsAbstention => ExpectedItems.Count == 0;

    /// <summary>The abstention reason the labeller expects, when given; counted apart from correctness.</summary>
    public AbstentionReason? ExpectedReason { get; init; }

    /// <summary>A free label for grouping (what, who, off_topic, …); null when not given.</summary>
    public string? Category { get; init; }

    /// <summary>1-based line of the case in its file, for error messages and reports.</summary>
    public int LineNumber { get; init; }
}
