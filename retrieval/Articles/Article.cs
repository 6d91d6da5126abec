namespace CaravanBot.Retrieval.Articles;

/// <summary>
/// A news article as CaravanBot indexes it: the kept paragraphs (headline, standfirst, body,
/// subheads, captions), numbered ¶1..¶n in reading order, with publisher boilerplate and page
/// furniture already removed, plus what the page said about the story (byline, date, publisher).
/// </summary>
public sealed record Article
{
    /// <summary>Where the article came from (a file path, "stdin", or a caller-given name).</summary>
    public required string Source { get; init; }

    /// <summary>The kept paragraphs; <c>Paragraphs[i].Number == i + 1</c>.</summary>
    public required IReadOnlyList<Paragraph> Paragraphs { get; init; }

    /// <summary>Byline, publication date, publisher and address, when the source gave them; never indexed as paragraphs.</summary>
    public ArticleMetadata Metadata { get; init; } = ArticleMetadata.None;

    /// <summary>How the article was read: which extractor found the story and what was dropped by which rule.</summary>
    public IngestionReport Ingestion { get; init; } = IngestionReport.None;

    /// <summary>The headline: the text of the first headline paragraph, or of ¶1 when none is marked.</summary>
    public string Headline =>
        Paragraphs.FirstOrDefault(p => p.Kind == ParagraphKind.Headline)?.Text
        ?? (Paragraphs.Count > 0 ? Paragraphs[0].Text : string.Empty);

    /// <summary>The paragraph with the given 1-based number, or null when out of range.</summary>
    public Paragraph? GetParagraph(int number) =>
        number >= 1 && number <= Paragraphs.Count ? Paragraphs[number - 1] : null;
}

/// <summary>The role a kept paragraph plays in the story.</summary>
public enum ParagraphKind
{
    /// <summary>The story's title.</summary>
    Headline,

    /// <summary>The summary line under the headline.</summary>
    Standfirst,

    /// <summary>A paragraph of the story itself.</summary>
    Body,

    /// <summary>A heading inside the story that introduces the next paragraphs.</summary>
    Subhead,

    /// <summary>The caption of a photo or graphic: about the story, but not the story's own sentences.</summary>
    Caption,
}

/// <summary>What a page says about its story besides the story itself. Every field is optional.</summary>
public sealed record ArticleMetadata
{
    /// <summary>No metadata known.</summary>
    public static readonly ArticleMetadata None = new();

    /// <summary>Who wrote the story, as the page credits them ("Jane Doe and John Roe").</summary>
    public string? Byline { get; init; }

    /// <summary>When the story was first published, as the page states it.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>The publication ("The Hill", "BBC News").</summary>
    public string? Publisher { get; init; }

    /// <summary>The story's own address (the page's canonical URL).</summary>
    public string? CanonicalUrl { get; init; }

    /// <summary>True when no field is known.</summary>
    public bool IsEmpty => Byline is null && Published is null && Publisher is null && CanonicalUrl is null;
}

/// <summary>How an article was read, for <c>caravanbot paragraphs --verbose</c>.</summary>
/// <param name="Extractor">What found the story: "plain text", or for a web page the extractor whose candidate was kept.</param>
/// <param name="Dropped">Every block of the source that was not kept, in reading order, with the rule that dropped it.</param>
public sealed record IngestionReport(string Extractor, IReadOnlyList<DroppedBlock> Dropped)
{
    /// <summary>No report (an article built in code).</summary>
    public static readonly IngestionReport None = new("none", []);
}

/// <summary>A block of source text that was not kept.</summary>
/// <param name="Text">The block's text.</param>
/// <param name="Rule">The rule that dropped it ("share bar", "byline", "related-stories list", …).</param>
public sealed record DroppedBlock(string Text, string Rule);

/// <summary>One kept paragraph with its sentences.</summary>
public sealed record Paragraph
{
    /// <summary>1-based paragraph number (¶n), stable for the same input.</summary>
    public required int Number { get; init; }

    /// <summary>The paragraph text exactly as it will be quoted.</summary>
    public required string Text { get; init; }

    /// <summary>Headline, standfirst, body, subhead or caption.</summary>
    public required ParagraphKind Kind { get; init; }

    /// <summary>Sentences as character spans into <see cref="Text"/>, in order, non-overlapping.</summary>
    public required IReadOnlyList<TextSpan> Sentences { get; init; }
}

/// <summary>A half-open character span [Start, End) into a paragraph's text.</summary>
public readonly record struct TextSpan(int Start, int End)
{
    /// <summary>Number of characters in the span.</summary>
    public int Length => End - Start;

    /// <summary>The spanned text of <paramref name="text"/>.</summary>
    public string Of(string text) => text[Start..End];
}
