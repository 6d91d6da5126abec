using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Splits a question that asks two or three things into its parts, so each part is searched on its
/// own and the answer can quote a sentence for each: "When and where was the game played?" →
/// "When was the game played?", "Where was the game played?"; "Who were the hostages and when were
/// they abducted?" → "Who were the hostages", "when were they abducted?". A question with one
/// question word is one part.
/// </summary>
public static partial class QuestionParts
{
    /// <summary>At most this many parts are searched.</summary>
    public const int MaxParts = 3;

    /// <summary>The parts of <paramref name="question"/>; a single element when it asks one thing.</summary>
    public static IReadOnlyList<string> Split(string question)
    {
        // "When and where was X?" — two question words sharing the rest of the question.
        var shared = SharedRest().Match(question);
        if (shared.Success)
        {
            var rest = shared.Groups["rest"].Value;
            return [shared.Groups["first"].Value + " " + rest, shared.Groups["second"].Value + " " + rest];
        }

        var parts = new List<string>();
        var last = 0;
        foreach (Match m in Joint().Matches(question))
        {
            var left = question[last..m.Index].Trim();
            if (AsksSomething(left))
            {
                parts.Add(left);
                last = m.Index + m.Groups["joint"].Length;
            }
        }

        var tail = question[last..].Trim();
        if (parts.Count == 0 || !AsksSomething(tail))
        {
            return [question];
        }

        parts.Add(tail);
        return parts.Take(MaxParts).ToArray();
    }

    private static bool AsksSomething(string text) =>
        QuestionWord().IsMatch(text) && Words.Of(text).Count() >= 2;

    [GeneratedRegex(@"^\s*(?<first>who|what|when|where|why|how|which)\s+and\s+(?<second>who|what|when|where|why|how|which)\s+(?<rest>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SharedRest();

    // ", and how…", " and when…", "; where…", ", and at what dose…": a joint followed by a question word.
    [GeneratedRegex(@"(?<joint>,\s*(?:and\s+|also\s+|plus\s+)?|;\s*|\s+(?:and|plus|&)\s+)(?=(?:(?:at|in|on|for|by|with|from|to|since|until)\s+)?(?:who|whom|whose|what|when|where|why|how|which)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Joint();

    [GeneratedRegex(@"\b(who|whom|whose|what|when|where|why|how|which)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuestionWord();
}
