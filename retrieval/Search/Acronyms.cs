using System.Text;
using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Short forms readers make of the names an article spells out: "ISTA" for the Indiana State
/// Teachers Association, "SNC" for Sierra Nevada Corp. A question word that is the initials of a
/// name in the article, and that the article itself never uses, is read as that name.
/// </summary>
public sealed partial class Acronyms
{
    private readonly Dictionary<string, string> _names;

    private Acronyms(Dictionary<string, string> names)
    {
        _names = names;
    }

    /// <summary>The acronyms of the capitalised names of <paramref name="sentences"/>, each to its name.</summary>
    public static Acronyms Build(IReadOnlyList<string> sentences, QuerySpeller speller)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (Match m in Name().Matches(sentence))
            {
                // "Sierra Nevada Corp. and Ceres Robotics" is two names, "Union of Rail Drivers and
                // Operatives" one: both readings are kept.
                foreach (var name in m.Value.Split(" and ").Where(p => p.Contains(' ', StringComparison.Ordinal)).Append(m.Value).Distinct(StringComparer.Ordinal))
                {
                    var full = WithoutFinalStop(name);
                    var acronym = string.Concat(Words.Of(full).Where(w => w.IsCapitalised).Select(w => w.Key[0]));
                    if (acronym.Length < 2 || speller.InArticle(acronym) || Lexical.Thesaurus.Shared.IsCommonWord(acronym))
                    {
                        continue;
                    }

                    if (names.TryGetValue(acronym, out var known) && !string.Equals(known, full, StringComparison.Ordinal))
                    {
                        ambiguous.Add(acronym);
                    }

                    names[acronym] = full;
                }
            }
        }

        foreach (var acronym in ambiguous)
        {
            names.Remove(acronym);
        }

        // A name inside a longer run of capitals: "Indiana State Teachers Association President
        // Keith Gambill" holds "Indiana State Teachers Association" (ISTA), "The Northern Rivers
        // Authority" at a sentence's start "Northern Rivers Authority". Read only when no whole
        // run has those initials, with three letters at least, and when only one inner name does.
        var inner = new Dictionary<string, string>(StringComparer.Ordinal);
        var innerAmbiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (Match m in Name().Matches(sentence))
            {
                var capitals = Words.Of(m.Value).Where(w => w.IsCapitalised).ToArray();
                for (var first = 0; first < capitals.Length; first++)
                {
                    for (var last = first + 2; last < capitals.Length && !(first == 0 && last == capitals.Length - 1); last++)
                    {
                        var full = WithoutFinalStop(m.Value[capitals[first].Start..capitals[last].End]);
                        var acronym = string.Concat(Words.Of(full).Where(w => w.IsCapitalised).Select(w => w.Key[0]));
                        if (names.ContainsKey(acronym) || ambiguous.Contains(acronym) || speller.InArticle(acronym)
                            || Lexical.Thesaurus.Shared.IsCommonWord(acronym))
                        {
                            continue;
                        }

                        if (inner.TryGetValue(acronym, out var known) && !string.Equals(known, full, StringComparison.Ordinal))
                        {
                            innerAmbiguous.Add(acronym);
                        }

                        inner[acronym] = full;
                    }
                }
            }
        }

        foreach (var (acronym, full) in inner.Where(p => !innerAmbiguous.Contains(p.Key)))
        {
            names[acronym] = full;
        }

        return new Acronyms(names);
    }

    // A sentence's full stop is not part of a name; an abbreviation's is ("Corp.", "Inc.").
    private static string WithoutFinalStop(string name)
    {
        if (!name.EndsWith('.'))
        {
            return name;
        }

        var lastWord = name[(name.LastIndexOf(' ') + 1)..^1];
        return lastWord.Length <= 4 ? name : name[..^1];
    }

    /// <summary>True when the folded word is the acronym of a name in the article ("ista").</summary>
    public bool Knows(string foldedWord) => _names.ContainsKey(foldedWord);

    /// <summary>The question with each acronym of an article name written out ("the ISTA" → "the Indiana State Teachers Association").</summary>
    public string Expand(string question)
    {
        if (_names.Count == 0)
        {
            return question;
        }

        StringBuilder? builder = null;
        var last = 0;
        foreach (var word in Words.Of(question))
        {
            if (_names.TryGetValue(word.Key, out var name))
            {
                builder ??= new StringBuilder(question.Length + 32);
                builder.Append(question, last, word.Start - last).Append(name);
                last = word.End;
            }
        }

        return builder is null ? question : builder.Append(question, last, question.Length - last).ToString();
    }

    // Two or more capitalised words, joined by "of", "and", "for", "the" or "&" inside.
    [GeneratedRegex(@"\b\p{Lu}[\p{L}'’.-]*(?:\s+(?:(?:of|and|for|the|&)\s+)?\p{Lu}[\p{L}'’.-]*)+")]
    private static partial Regex Name();
}
