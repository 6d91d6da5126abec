namespace CaravanBot.Retrieval.Answering;

/// <summary>One verbatim quote from the article: <c>Quote == paragraph.Text[Start..End]</c>.</summary>
/// <param name="Paragraph">1-based paragraph number (¶n).</param>
/// <param name="Quote">The exact quoted text.</param>
/// <param name="Start">Start of the quote in the paragraph text (inclusive).</param>
/// <param name="End">End of the quote in the paragraph text (exclusive).</param>
public sealed record Citation(int Paragraph, string Quote, int Start, int End);

/// <summary>Why the bot did not answer.</summary>
public enum AbstentionReason
{
    /// <summary>The question was empty or only whitespace/invisible characters.</summary>
    EmptyQuestion,

    /// <summary>The question is not about anything the article discusses.</summary>
    OffTopic,

    /// <summary>The article touches the topic but does not give what was asked.</summary>
    NotInArticle,
}

/// <summary>How an answer was produced.</summary>
public enum AnswerMode
{
    /// <summary>Quotes chosen by retrieval, no language model.</summary>
    Extractive,

    /// <summary>A language model's short answer with quotes it chose, each verified verbatim.</summary>
    Llm,
}

/// <summary>Why the language-model mode served the extractive answer instead of its own.</summary>
public enum LlmFallbackReason
{
    /// <summary>The model did not reply within the configured timeout.</summary>
    Timeout,

    /// <summary>The model's service failed (HTTP error, rate limit, connection refused).</summary>
    ProviderError,

    /// <summary>The model answered but none of its quotes is verbatim text of the paragraph it cites.</summary>
    UnverifiedQuotes,

    /// <summary>The model's reply was not the JSON it was asked for.</summary>
    InvalidOutput,
}

/// <summary>
/// The bot's reply to one question: either an answer made of 1–3 verbatim citations with a short
/// lead-in, or an abstention with a reason and a polite message and no citations.
/// </summary>
public sealed record Answer
{
    /// <summary>The question as the reader asked it.</summary>
    public required string Question { get; init; }

    /// <summary>True when the answer quotes the article; false for an abstention.</summary>
    public required bool Answered { get; init; }

    /// <summary>Why the bot abstained; null when it answered.</summary>
    public AbstentionReason? Reason { get; init; }

    /// <summary>The lead-in (answered) or the abstention message (not answered).</summary>
    public required string Text { get; init; }

    /// <summary>The quotes, in the order they should be shown; empty for an abstention.</summary>
    public required IReadOnlyList<Citation> Citations { get; init; }

    /// <summary>How the answer was produced.</summary>
    public AnswerMode Mode { get; init; } = AnswerMode.Extractive;

    /// <summary>Retrieval scores of the cited sentences (same order as <see cref="Citations"/>), and the best score seen.</summary>
    public AnswerScores Scores { get; init; } = AnswerScores.None;

    /// <summary>Why the language-model mode fell back to this extractive answer; null when it did not.</summary>
    public LlmFallbackReason? FallbackReason { get; init; }

    /// <summary>Wall time spent answering, in milliseconds.</summary>
    public double LatencyMs { get; init; }
}

/// <summary>Scores behind an answer, kept for moderators.</summary>
/// <param name="Top">The learned ranker's probability for the best sentence.</param>
/// <param name="TopParagraph">The best paragraph similarity to the question (arctic-embed-xs cosine).</param>
/// <param name="Citations">The ranker's probability for each cited sentence.</param>
/// <param name="Answerability">The answerability model's probability that the quoted answer is right (null for an empty question).</param>
public sealed record AnswerScores(double Top, double TopParagraph, IReadOnlyList<double> Citations, double? Answerability = null)
{
    /// <summary>No scores (empty question).</summary>
    public static AnswerScores None { get; } = new(0, 0, []);
}

/// <summary>Reason codes as the command line and the logs spell them.</summary>
public static class AbstentionReasonCodes
{
    /// <summary>The snake_case code of a reason, e.g. <c>not_in_article</c>.</summary>
    public static string ToCode(this AbstentionReason reason) => reason switch
    {
        AbstentionReason.EmptyQuestion => "empty_question",
        AbstentionReason.OffTopic => "off_topic",
        AbstentionReason.NotInArticle => "not_in_article",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>Fallback reason codes as the logs and the answer log spell them.</summary>
public static class LlmFallbackReasonCodes
{
    /// <summary>The snake_case code of a reason, e.g. <c>unverified_quotes</c>.</summary>
    public static string ToCode(this LlmFallbackReason reason) => reason switch
    {
        LlmFallbackReason.Timeout => "timeout",
        LlmFallbackReason.ProviderError => "provider_error",
        LlmFallbackReason.UnverifiedQuotes => "unverified_quotes",
        LlmFallbackReason.InvalidOutput => "invalid_output",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

/// <summary>Answers readers' questions about the loaded article.</summary>
public interface IAnswerService
{
    /// <summary>Answers one question with verbatim quotes, or abstains.</summary>
    Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default);
}
