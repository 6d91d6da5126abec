using System.Text;

namespace CaravanBot.Retrieval.Lexical;

/// <summary>
/// A light English suffix stripper applied before TF-IDF, so "wants", "wanted" and "wanting"
/// count as "want" and "migrants" as "migrant". Deliberately conservative (plural and verb
/// endings only): over-stemming would merge unrelated words, and character n-grams already
/// cover the rest.
/// </summary>
public static class LightStemmer
{
    /// <summary>The text with each word folded (lower case, no accents) and stemmed, function words dropped; other characters kept.</summary>
    public static string StemText(string text)
    {
        var builder = new StringBuilder(text.Length);
        var last = 0;
        foreach (var word in Search.Words.Of(text))
        {
            var key = word.Key;
            // "US" the country is not "us" the pronoun: an all-capitals word is never a function word.
            var isAcronym = word.Text.Length > 1 && word.Text.All(char.IsUpper);
            builder.Append(text, last, word.Start - last).Append(FunctionWords.Contains(key) && !isAcronym ? string.Empty : Stem(key));
            last = word.End;
        }

        return builder.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>The stem of one folded word.</summary>
    public static string Stem(string word)
    {
        // Short words are mostly function words ("does", "has", "this"): stemming them would
        // hide them from the stop-word list.
        if (word.Length <= 4)
        {
            return word;
        }

        if (word.EndsWith("'s", StringComparison.Ordinal))
        {
            word = word[..^2];
        }

        // British and American spellings and their derivations meet: "organised", "organiser",
        // "organizing", "organisation" → "organis".
        foreach (var ending in IseEndings)
        {
            if (word.Length > ending.Length + 3 && word.EndsWith(ending, StringComparison.Ordinal))
            {
                return word[..^ending.Length] + "is";
            }
        }

        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }

        if (word.EndsWith("sses", StringComparison.Ordinal) || word.EndsWith("shes", StringComparison.Ordinal)
            || word.EndsWith("ches", StringComparison.Ordinal) || word.EndsWith("xes", StringComparison.Ordinal))
        {
            return word[..^2];
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5 && HasVowel(word[..^3]))
        {
            return Undouble(word[..^3]);
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4 && HasVowel(word[..^2]))
        {
            return Undouble(word[..^2]);
        }

        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)
            && !word.EndsWith("is", StringComparison.Ordinal))
        {
            return word[..^1];
        }

        return word;
    }

    private static readonly string[] IseEndings =
    [
        "isations", "izations", "isation", "ization", "isers", "izers", "iser", "izer", "ising", "izing", "ised", "ized", "ises", "izes", "ise", "ize",
    ];

    private static bool HasVowel(string s) => s.IndexOfAny(['a', 'e', 'i', 'o', 'u', 'y']) >= 0;

    // "stopped" → "stopp" → "stop"; keeps "ll"/"ss" words intact.
    private static string Undouble(string s) =>
        s.Length > 3 && s[^1] == s[^2] && s[^1] is not ('l' or 's' or 'z') ? s[..^1] : s;
}
