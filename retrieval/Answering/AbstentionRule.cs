using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// When the bot declines to answer. One rule, used by the answerer and by the calibration that
/// chooses its thresholds, so the thresholds written in <see cref="RetrievalOptions"/> are exactly
/// the ones measured.
/// </summary>
public static class AbstentionRule
{
    /// <summary>The reason to abstain, or null to answer.</summary>
    /// <param name="bestSentence">The best fused sentence score.</param>
    /// <param name="paragraphDense">The best dense similarity of the question to a paragraph.</param>
    /// <param name="paragraphLexical">The best lexical coverage of the question by a paragraph.</param>
    /// <param name="options">The thresholds.</param>
    public static AbstentionReason? Decide(double bestSentence, double paragraphDense, double paragraphLexical, RetrievalOptions options)
    {
        // Nothing in the article is about this at all, in meaning or in words.
        if (paragraphDense < options.OffTopicThreshold && paragraphLexical < options.OffTopicLexicalThreshold)
        {
            return AbstentionReason.OffTopic;
        }

        // The article is about the topic, but no sentence says what was asked.
        return bestSentence < options.AnswerThreshold ? AbstentionReason.NotInArticle : null;
    }
}
