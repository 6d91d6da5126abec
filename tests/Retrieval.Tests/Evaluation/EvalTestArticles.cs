using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Evaluation;

namespace CaravanBot.Retrieval.Tests.Evaluation;

/// <summary>Small articles and answers built in code, so scoring is tested without ingestion or a model.</summary>
internal static class EvalTestArticles
{
    public static Article Caravan { get; } = Build(
        "caravan",
        "8,000-strong migrant caravan heads for US border",
        "Mexico wants the US to lift sanctions on Cuba and Venezuela and to send development aid to the region.",
        "Families spent Christmas Day sleeping on scraps of plastic, said Luis García Villagrán.",
        "The group left Tapachula on “Christmas Eve”, organisers said.");

    public static Article Build(string source, params string[] paragraphs) => new()
    {
        Source = source,
        Paragraphs = paragraphs.Select((text, i) => new Paragraph
        {
            Number = i + 1,
            Text = text,
            Kind = i == 0 ? ParagraphKind.Headline : ParagraphKind.Body,
            Sentences = [new TextSpan(0, text.Length)],
        }).ToArray(),
    };

    /// <summary>A citation of <paramref name="quote"/> at its real place in ¶<paramref name="paragraph"/>.</summary>
    public static Citation Cite(Article article, int paragraph, string quote)
    {
        var text = article.GetParagraph(paragraph)!.Text;
        var start = text.IndexOf(quote, StringComparison.Ordinal);
        Assert.True(start >= 0, $"test setup: \"{quote}\" is not in ¶{paragraph}");
        return new Citation(paragraph, quote, start, start + quote.Length);
    }

    public static Answer Answered(string question, double latencyMs, params Citation[] citations) => new()
    {
        Question = question,
        Answered = true,
        Text = "Here is what the article says:",
        Citations = citations,
        LatencyMs = latencyMs,
    };

    public static Answer Abstained(string question, AbstentionReason reason, double latencyMs = 1) => new()
    {
        Question = question,
        Answered = false,
        Reason = reason,
        Text = "Sorry, the article does not say, so I won't guess.",
        Citations = [],
        LatencyMs = latencyMs,
    };

    public static EvalCase Expecting(string id, string question, params string[] phrases) => new()
    {
        Id = id,
        Article = "default",
        Question = question,
        ExpectedItems = phrases.Select(p => (IReadOnlyList<string>)[p]).ToArray(),
    };

    public static EvalCase ExpectingAbstention(string id, string question, AbstentionReason? reason = null, string article = "default") => new()
    {
        Id = id,
        Article = article,
        Question = question,
        ExpectedItems = [],
        ExpectedReason = reason,
    };
}
