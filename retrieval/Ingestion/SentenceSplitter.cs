using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>Splits paragraph text into sentences as character spans.</summary>
public static class SentenceSplitter
{
    /// <summary>Sentence spans into <paramref name="text"/>, trimmed of surrounding whitespace, in order.</summary>
    public static IReadOnlyList<TextSpan> Split(string text) => throw new NotImplementedException();
}
