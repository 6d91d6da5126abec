using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Answering;

/// <summary>What the abstention rule looks at for one question.</summary>
/// <param name="BestSentence">The best fused sentence score.</param>
/// <param name="BestSentenceDense">That sentence's dense similarity to the question.</param>
/// <param name="BestSentenceLexical">That sentence's lexical coverage of the question.</param>
/// <param name="ParagraphDense">The best dense similarity of the question to any paragraph.</param>
/// <param name="ParagraphLexical">The best lexical coverage of the question by any paragraph.</param>
/// <param name="UnknownShare">Share of the question's content words the article never uses.</param>
public sealed record AbstentionSignals(
    double BestSentence,
    double BestSentenceDense,
    double BestSentenceLexical,
    double ParagraphDense,
    double ParagraphLexical,
    double UnknownShare)
{
    /// <summary>The signals of a search (null when nothing was ranked).</summary>
    public static AbstentionSignals? From(SearchResult result) => result.Best is { } best
        ? new AbstentionSignals(best.Fused, best.Dense, best.Lexical, result.BestParagraphDense, result.BestParagraphLexical, result.UnknownShare)
        : null;
}

/// <summary>
/// When the bot declines to answer. One rule, used by the answerer and by the calibration that
/// chooses its thresholds, so the thresholds written in <see cref="RetrievalOptions"/> are exactly
/// the ones measured.
/// </summary>
public static class AbstentionRule
{
    /// <summary>The reason to abstain, or null to answer.</summary>
    public static AbstentionReason? Decide(AbstentionSignals signals, RetrievalOptions options)
    {
        // Nothing in the article is about this at all, in meaning or in words.
        if (signals.ParagraphDense < options.OffTopicThreshold && signals.ParagraphLexical < options.OffTopicLexicalThreshold)
        {
            return AbstentionReason.OffTopic;
        }

        // The article is about the topic, but no sentence says what was asked.
        if (signals.BestSentence < options.AnswerThreshold)
        {
            return AbstentionReason.NotInArticle;
        }

        // Much of what the question asks about is in words the article never uses, and the best
        // sentence is close neither in meaning nor in words: "How many migrants died?".
        return signals.UnknownShare >= options.UnknownWordsShare
            && signals.BestSentenceDense < options.UnknownWordsDenseCeiling
            && signals.BestSentenceLexical < options.UnknownWordsLexicalCeiling
            ? AbstentionReason.NotInArticle
            : null;
    }
}
