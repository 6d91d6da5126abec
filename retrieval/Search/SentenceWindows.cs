using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Clause windows of a long sentence. A sentence that packs several facts ("…said before the
/// Wild's 4-1 win over the Sabres in front of 15,522 in KeyBank Center") has one embedding for all
/// of them, and the fact asked about is diluted; its clauses are embedded too, and the sentence
/// counts as close to a question when any of its windows is. Quotes are still whole sentences.
/// </summary>
public static partial class SentenceWindows
{
    /// <summary>Sentences shorter than this many words are embedded only whole.</summary>
    public const int MinimumSentenceWords = 14;

    /// <summary>A window has at least this many words.</summary>
    public const int MinimumWindowWords = 6;

    /// <summary>The clause windows of <paramref name="sentence"/>: none for a short sentence.</summary>
    public static IReadOnlyList<string> Of(string sentence)
    {
        if (WordCount(sentence) < MinimumSentenceWords)
        {
            return [];
        }

        var merged = new List<string>();
        var current = string.Empty;
        foreach (var piece in ClauseBreak().Split(sentence))
        {
            if (piece.Trim().Length == 0)
            {
                continue;
            }

            current = current.Length == 0 ? piece : current + " " + piece;
            if (WordCount(current) >= MinimumWindowWords)
            {
                merged.Add(current);
                current = string.Empty;
            }
        }

        if (current.Length > 0)
        {
            if (merged.Count > 0)
            {
                merged[^1] += " " + current;
            }
            else
            {
                merged.Add(current);
            }
        }

        if (merged.Count < 2)
        {
            return [];
        }

        // Neighbouring clauses together too: a fact often spans a comma.
        var windows = new List<string>(merged);
        for (var i = 0; i + 1 < merged.Count; i++)
        {
            windows.Add(merged[i] + " " + merged[i + 1]);
        }

        return windows;
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"(?<=[,;:–—(])\s+|\s+(?=[–—(])|\s+(?=(?:and|but|while|before|after|because|which|who|when|whose|where|as)\s)")]
    private static partial Regex ClauseBreak();
}
