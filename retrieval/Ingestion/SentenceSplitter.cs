using System.Collections.Frozen;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Splits paragraph text into sentences as character spans. A sentence ends at <c>.</c>, <c>!</c>,
/// <c>?</c> or an ellipsis, together with any closing quotation marks or brackets right after it,
/// when the next word starts a new sentence (not lower case). Abbreviations, initials, numbers,
/// URLs and quotes that run on into an attribution do not end a sentence; a sentence end glued to
/// the next sentence without a space ("difference.A vast") does.
/// </summary>
public static class SentenceSplitter
{
    /// <summary>Words that are followed by a name or number, so a period after them never ends a sentence.</summary>
    private static readonly FrozenSet<string> Abbreviations = FrozenSet.ToFrozenSet(
        [
            "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Mt", "Ft", "Gov", "Sen", "Rep", "Gen", "Lt", "Col",
            "Capt", "Cmdr", "Adm", "Maj", "Sgt", "Cpl", "Pvt", "Rev", "Hon", "Pres", "Supt", "Det", "Insp",
            "Jr", "Sr", "Messrs", "Mme", "Mlle", "No", "Nos", "Vol", "Fig", "Ave", "Blvd", "Rd",
            "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            "Inc", "Corp", "Co", "Ltd", "Bros", "vs", "v", "cf", "viz", "al", "approx", "est", "pp", "p", "ca",
            "vol", "fig",
        ],
        StringComparer.Ordinal);

    /// <summary>
    /// Words that usually open a sentence. After an initial or a dotted acronym ("U.S.", "a.m.") the
    /// period ends the sentence only when one of these follows: "in the U.S. The caravan" splits,
    /// "the U.S. Border Patrol" and "John F. Kennedy" do not.
    /// </summary>
    private static readonly FrozenSet<string> SentenceStarters = FrozenSet.ToFrozenSet(
        [
            "The", "A", "An", "It", "Its", "He", "She", "They", "We", "I", "You", "But", "And", "Or", "So", "Yet",
            "In", "On", "At", "For", "As", "After", "Before", "When", "While", "If", "This", "That", "These",
            "Those", "There", "Their", "His", "Her", "Our", "My", "Some", "Many", "Most", "Meanwhile", "However",
            "Still", "Now", "Then", "Officials", "According", "Last", "Earlier", "Later", "Since", "Despite",
        ],
        StringComparer.Ordinal);

    /// <summary>Sentence spans into <paramref name="text"/>, trimmed of surrounding whitespace, in order.</summary>
    public static IReadOnlyList<TextSpan> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<TextSpan>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsTerminal(text[i]))
            {
                i++;
                continue;
            }

            var end = i + 1;
            while (end < text.Length && IsTerminal(text[end]))
            {
                end++;
            }

            while (end < text.Length && IsCloser(text[end]))
            {
                end++;
            }

            if (EndsSentence(text, i, end))
            {
                AddTrimmed(spans, text, start, end);
                start = end;
            }

            i = end;
        }

        AddTrimmed(spans, text, start, text.Length);
        return spans;
    }

    private static bool IsTerminal(char c) => c is '.' or '!' or '?' or '…';

    private static bool IsCloser(char c) => c is '”' or '’' or '"' or '\'' or ')' or ']' or '»' or '›';

    private static bool IsOpener(char c) => c is '“' or '‘' or '"' or '\'' or '(' or '[' or '«' or '‹' or '¿' or '¡';

    /// <summary>
    /// Decides whether the terminal run <c>text[first..end)</c> (punctuation plus closing marks) ends
    /// a sentence.
    /// </summary>
    private static bool EndsSentence(string text, int first, int end)
    {
        if (end >= text.Length)
        {
            return true;
        }

        if (!char.IsWhiteSpace(text[end]))
        {
            return IsGlued(text, first, end);
        }

        var next = end;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        if (next >= text.Length)
        {
            return true;
        }

        var c = text[next];
        var startsSentence = char.IsUpper(c) || char.IsDigit(c) || IsOpener(c) ||
            (char.IsLetter(c) && !char.IsLower(c));
        if (!startsSentence)
        {
            return false;
        }

        // Only a lone period can belong to an abbreviation; "?", "!", "..." and a period followed
        // by a closing quote end the sentence.
        if (text[first] != '.' || end != first + 1)
        {
            return true;
        }

        var token = WordBefore(text, first);
        if (token.Length == 0)
        {
            return true;
        }

        if (Abbreviations.Contains(token) || token is "e.g" or "i.e" or "E.g" or "I.e")
        {
            return false;
        }

        var isInitialOrAcronym = (token.Length == 1 && char.IsLetter(token[0])) || token.Contains('.', StringComparison.Ordinal);
        return !isInitialOrAcronym || SentenceStarters.Contains(WordAt(text, next));
    }

    /// <summary>
    /// A sentence end with no space before the next sentence, as left by careless copy-paste:
    /// a lowercase word of two or more letters (or a closing quote or bracket), one of <c>.!?</c>,
    /// then a capitalised word, possibly behind an opening curly quote. Initials ("F.A."), abbreviations ("Mr.X"), numbers ("1.5"),
    /// domain names and URLs do not qualify.
    /// </summary>
    private static bool IsGlued(string text, int first, int end)
    {
        if (end != first + 1 || first == 0 || text[first] == '…')
        {
            return false;
        }

        var before = text[first - 1];
        if (char.IsLower(before))
        {
            var word = WordBefore(text, first);
            if (word.Length < 2 || word.Contains('.', StringComparison.Ordinal) || Abbreviations.Contains(word))
            {
                return false;
            }
        }
        else if (!(before is '”' or '’' or '"' or ')' or ']'))
        {
            return false;
        }

        // An opening curly quote may stand between the two sentences: "short.“We tried,”".
        if (text[end] is '“' or '‘' && end + 1 < text.Length)
        {
            end++;
        }

        var next = text[end];
        if (!char.IsUpper(next))
        {
            return false;
        }

        var afterNext = end + 1 < text.Length ? text[end + 1] : ' ';
        var startsWord = char.IsLower(afterNext) || (char.IsWhiteSpace(afterNext) && next is 'A' or 'I') ||
            (char.IsUpper(afterNext) && end + 2 < text.Length && char.IsLetter(text[end + 2]));
        return startsWord && !IsInsideUrl(text, first);
    }

    /// <summary>True when the whitespace-delimited token around <paramref name="index"/> is a URL, domain or e-mail address.</summary>
    private static bool IsInsideUrl(string text, int index)
    {
        var s = index;
        while (s > 0 && !char.IsWhiteSpace(text[s - 1]))
        {
            s--;
        }

        var e = index;
        while (e < text.Length && !char.IsWhiteSpace(text[e]))
        {
            e++;
        }

        var token = text.AsSpan(s, e - s);
        return token.Contains("://", StringComparison.Ordinal) ||
            token.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ||
            token.Contains('@') || token.Contains('/');
    }

    /// <summary>The run of letters and inner periods that ends just before <paramref name="index"/> ("U.S", "Mr", "e.g").</summary>
    private static string WordBefore(string text, int index)
    {
        var s = index;
        while (s > 0 && (char.IsLetter(text[s - 1]) || (text[s - 1] == '.' && s - 1 > 0 && char.IsLetter(text[s - 2]))))
        {
            s--;
        }

        if (s > 0 && !IsWordBoundary(text[s - 1]))
        {
            return string.Empty;
        }

        return text[s..index];
    }

    private static bool IsWordBoundary(char c) => char.IsWhiteSpace(c) || IsOpener(c) || c is '-' or '–' or '—' or '/';

    private static string WordAt(string text, int index)
    {
        var e = index;
        while (e < text.Length && char.IsLetter(text[e]))
        {
            e++;
        }

        return text[index..e];
    }

    private static void AddTrimmed(List<TextSpan> spans, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            spans.Add(new TextSpan(start, end));
        }
    }
}
