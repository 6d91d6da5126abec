namespace CaravanBot.Retrieval.Lexical;

/// <summary>
/// English function words and question words, removed before TF-IDF. Kept short on purpose:
/// Microsoft.ML's built-in list also drops content verbs such as "want" and "said", which are
/// exactly what many questions hinge on.
/// </summary>
public static class FunctionWords
{
    private static readonly HashSet<string> Set = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "then", "so", "than", "that", "this", "these", "those",
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "whats", "what's", "who's",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "doing", "done",
        "has", "have", "had", "having", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
        "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
        "they", "them", "their", "there", "here", "of", "in", "on", "at", "to", "for", "from", "by", "with",
        "about", "as", "into", "onto", "up", "down", "out", "over", "under", "again", "any", "some", "all",
        "also", "just", "very", "too", "not", "no", "yes", "please", "tell", "article", "story", "say", "says",
        "according", "mention", "mentioned", "mentions",
    };

    /// <summary>True for a folded function word.</summary>
    public static bool Contains(string foldedWord) => Set.Contains(foldedWord);
}
