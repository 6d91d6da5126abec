using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>A word of a text with its position.</summary>
/// <param name="Text">The word as written.</param>
/// <param name="Start">Start offset in the text.</param>
public readonly record struct Word(string Text, int Start)
{
    /// <summary>End offset (exclusive).</summary>
    public int End => Start + Text.Length;

    /// <summary>True when the word starts with an upper-case letter.</summary>
    public bool IsCapitalised => Text.Length > 0 && char.IsUpper(Text[0]);

    /// <summary>Lower-case, accent-free form used for matching.</summary>
    public string Key => Words.Fold(Text);
}

/// <summary>Word tokenisation and folding shared by the alias miner and the query speller.</summary>
public static partial class Words
{
    /// <summary>The words (letters, with inner apostrophes and hyphens) of <paramref name="text"/>.</summary>
    public static IEnumerable<Word> Of(string text)
    {
        foreach (Match m in WordPattern().Matches(text))
        {
            yield return new Word(m.Value, m.Index);
        }
    }

    /// <summary>Lower-cases and removes diacritics and typographic apostrophes: "López" → "lopez".</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c == '’' ? '\'' : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>The folded words of a text joined by single spaces, with spaces around: " mr lopez obrador ".</summary>
    public static string FoldedPhrase(string text) =>
        " " + string.Join(' ', Of(text).Select(w => w.Key)) + " ";

    [GeneratedRegex(@"\p{L}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*")]
    private static partial Regex WordPattern();
}
