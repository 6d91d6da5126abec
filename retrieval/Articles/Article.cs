namespace CaravanBot.Retrieval.Articles;

/// <summary>
/// A news article as CaravanBot indexes it: the kept paragraphs (headline, standfirst, body),
/// numbered ¶1..¶n in reading order, with publisher boilerplate already removed.
/// </summary>
public sealed record Article
{
    /// <summary>Where the article came from (a file path, "stdin", or a caller-given name).</summary>
    public required string Source { get; init; }

    /// <summary>The kept paragraphs; <c>Paragraphs[i].Number == i + 1</c>.</summary>
    public required IReadOnlyList<Paragraph> Paragraphs { get; init; }

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
}

/// <summary>One kept paragraph with its sentences.</summary>
public sealed record Paragraph
{
    /// <summary>1-based paragraph number (¶n), stable for the same input.</summary>
    public required int Number { get; init; }

    /// <summary>The paragraph text exactly as it will be quoted.</summary>
    public required string Text { get; init; }

    /// <summary>Headline, standfirst or body.</summary>
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
