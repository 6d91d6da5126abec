using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// The publication's own name, learned from the page ("follow other Independent readers",
/// "© 2024 Riverside Gazette", <c>og:site_name</c>), so that the publisher describing itself
/// ("The Independent is trusted by …") counts as self-reference. Mentions after attribution words
/// ("told The Independent", "according to the Gazette") are story text and do not count.
/// </summary>
internal sealed partial class PublisherNames
{
    /// <summary>No known names: only first-person self-reference counts.</summary>
    public static readonly PublisherNames None = new([]);

    private static readonly HashSet<string> AttributionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "told", "tell", "tells", "telling", "to", "by", "from", "for", "with", "of", "according", "contacted",
        "approached", "asked", "reached", "in", "on", "at", "via", "said", "wrote", "cited", "quoted", "reported",
    };

    private static readonly HashSet<string> CorporateSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Ltd", "Limited", "Inc", "LLC", "plc", "Media", "Group", "Company", "Co", "Corporation", "Corp",
        "Newspapers", "Publishing", "Holdings",
    };

    private readonly string[] _names;

    private PublisherNames(string[] names) => _names = names;

    /// <summary>Names found in the article's own text plus names the page declares (site name metadata).</summary>
    public static PublisherNames Learn(IEnumerable<string> paragraphs, IEnumerable<string?> declared)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in declared)
        {
            AddName(names, name);
        }

        foreach (var paragraph in paragraphs)
        {
            foreach (Match m in NameInBoilerplate().Matches(paragraph))
            {
                AddName(names, m.Groups["name"].Value);
            }
        }

        return names.Count == 0 ? None : new PublisherNames([.. names.OrderBy(n => n, StringComparer.Ordinal)]);
    }

    /// <summary>True when the sentence names the publisher as something other than a source being told or cited.</summary>
    public bool IsSelfMention(string sentence)
    {
        foreach (var name in _names)
        {
            var from = 0;
            while (from < sentence.Length)
            {
                var at = sentence.IndexOf(name, from, StringComparison.Ordinal);
                if (at < 0)
                {
                    break;
                }

                from = at + name.Length;
                var wholeWord = (at == 0 || !char.IsLetterOrDigit(sentence[at - 1])) &&
                    (from >= sentence.Length || !char.IsLetterOrDigit(sentence[from]));
                if (wholeWord && !FollowsAttribution(sentence, at))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool FollowsAttribution(string sentence, int at)
    {
        var before = sentence.AsSpan(0, at).TrimEnd();
        if (before.EndsWith("the", StringComparison.OrdinalIgnoreCase) &&
            (before.Length == 3 || !char.IsLetter(before[^4])))
        {
            before = before[..^3].TrimEnd();
        }

        var start = before.Length;
        while (start > 0 && char.IsLetter(before[start - 1]))
        {
            start--;
        }

        var word = before[start..].ToString();
        return word.Length > 0 && AttributionWords.Contains(word);
    }

    private static void AddName(HashSet<string> names, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return;
        }

        var words = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (words.Count > 0 && words[0].Equals("The", StringComparison.OrdinalIgnoreCase))
        {
            words.RemoveAt(0);
        }

        while (words.Count > 1 && CorporateSuffixes.Contains(words[^1].TrimEnd('.', ',')))
        {
            words.RemoveAt(words.Count - 1);
        }

        var name = string.Join(' ', words).Trim('.', ',', '-', '\'', '’');
        if (name.Length >= 3 && char.IsUpper(name[0]))
        {
            names.Add(name);
        }
    }

    /// <summary>Where boilerplate names its publisher: reader communities, copyright lines, appeals.</summary>
    [GeneratedRegex("""
          \b(?:other|fellow)\s+(?<name>(?:The\s+)?\p{Lu}[\p{L}\p{N}&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&'’-]*){0,2})\s+(?:readers|subscribers|members|supporters|commenters|users|listeners|viewers)\b
        | (?:©\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?|(?:\([Cc]\)|\b[Cc]opyright(?:\s+©)?)\s*\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)(?<name>(?:The\s+)?\p{Lu}[\p{L}\p{N}&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&'’-]*){0,3})
        | \b(?:[Ss]upport|[Ss]ubscribe\s+to|[Dd]onate\s+to)\s+(?<name>The\s+\p{Lu}[\p{L}\p{N}&'’-]*(?:\s+\p{Lu}[\p{L}\p{N}&'’-]*){0,2})
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex NameInBoilerplate();
}
