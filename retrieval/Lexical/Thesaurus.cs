using System.IO.Compression;

namespace CaravanBot.Retrieval.Lexical;

/// <summary>
/// General English word relations from WordNet 3.0 (<c>Lexical/Thesaurus/thesaurus.txt.gz</c>, built by
/// <c>build-thesaurus.py</c>; licence in <c>WORDNET-LICENSE</c>): for a word, its dictionary forms
/// ("demands" → "demand", "led" → "lead") and the words that share one of its common senses or
/// derive from it ("demand" → "ask", "need", "require"). Readers paraphrase; the article's words are
/// often a synonym or another part of speech of the reader's. A short hand-written list of the
/// words news readers and reporters use for the same thing (<c>news-paraphrases.txt</c>: "demands"
/// for "wants", "fans" for "crowd") is added to WordNet's relations.
/// </summary>
public sealed class Thesaurus
{
    private const string Resource = "CaravanBot.Retrieval.Lexical.thesaurus.txt.gz";
    private const string ParaphraseResource = "CaravanBot.Retrieval.Lexical.news-paraphrases.txt";

    private static readonly Lazy<Thesaurus> LazyShared = new(Load);

    // Irregular forms WordNet's suffix rules cannot undo (its own exception lists are not shipped).
    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["said"] = "say", ["paid"] = "pay", ["led"] = "lead", ["made"] = "make", ["took"] = "take", ["taken"] = "take",
        ["gave"] = "give", ["given"] = "give", ["went"] = "go", ["gone"] = "go", ["came"] = "come", ["got"] = "get",
        ["gotten"] = "get", ["held"] = "hold", ["told"] = "tell", ["found"] = "find", ["left"] = "leave", ["sent"] = "send",
        ["spent"] = "spend", ["built"] = "build", ["brought"] = "bring", ["bought"] = "buy", ["thought"] = "think",
        ["fell"] = "fall", ["fallen"] = "fall", ["ran"] = "run", ["won"] = "win", ["lost"] = "lose", ["met"] = "meet",
        ["began"] = "begin", ["begun"] = "begin", ["chose"] = "choose", ["chosen"] = "choose", ["drove"] = "drive",
        ["driven"] = "drive", ["flew"] = "fly", ["flown"] = "fly", ["grew"] = "grow", ["grown"] = "grow", ["knew"] = "know",
        ["known"] = "know", ["rose"] = "rise", ["risen"] = "rise", ["saw"] = "see", ["seen"] = "see", ["shot"] = "shoot",
        ["sold"] = "sell", ["stood"] = "stand", ["struck"] = "strike", ["taught"] = "teach", ["threw"] = "throw",
        ["thrown"] = "throw", ["wrote"] = "write", ["written"] = "write", ["spoke"] = "speak", ["spoken"] = "speak",
        ["broke"] = "break", ["broken"] = "break", ["fought"] = "fight", ["hid"] = "hide", ["hidden"] = "hide",
        ["kept"] = "keep", ["meant"] = "mean", ["felt"] = "feel", ["sat"] = "sit", ["slept"] = "sleep", ["stole"] = "steal",
        ["stolen"] = "steal", ["swore"] = "swear", ["tore"] = "tear", ["woke"] = "wake", ["wore"] = "wear", ["worn"] = "wear",
        ["ate"] = "eat", ["eaten"] = "eat", ["drew"] = "draw", ["drawn"] = "draw", ["froze"] = "freeze", ["frozen"] = "freeze",
        ["hung"] = "hang", ["lent"] = "lend", ["dealt"] = "deal", ["fed"] = "feed", ["fled"] = "flee", ["sought"] = "seek",
        ["caught"] = "catch", ["heard"] = "hear", ["understood"] = "understand", ["wound"] = "wind", ["shook"] = "shake",
        ["children"] = "child", ["people"] = "person", ["men"] = "man", ["women"] = "woman", ["feet"] = "foot",
        ["teeth"] = "tooth", ["mice"] = "mouse", ["geese"] = "goose", ["was"] = "be", ["were"] = "be", ["is"] = "be",
        ["has"] = "have", ["had"] = "have", ["did"] = "do", ["does"] = "do", ["done"] = "do", ["better"] = "good",
        ["best"] = "good", ["worse"] = "bad", ["worst"] = "bad", ["more"] = "much", ["most"] = "much",
    };

    // WordNet's detachment rules, any part of speech: suffix → replacement.
    private static readonly (string Suffix, string Replacement)[] Detachments =
    [
        ("ies", "y"), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
        ("es", "e"), ("es", ""), ("s", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("er", ""), ("est", ""),
        ("er", "e"), ("est", "e"),
    ];

    private readonly Dictionary<string, string[]> _related;

    private Thesaurus(Dictionary<string, string[]> related)
    {
        _related = related;
    }

    /// <summary>The thesaurus shipped inside this assembly.</summary>
    public static Thesaurus Shared => LazyShared.Value;

    /// <summary>How many lemmas it knows.</summary>
    public int Count => _related.Count;

    /// <summary>True when the folded word, or a dictionary form of it, is a common English word ("rob", "sea"; not "jen", "ista").</summary>
    public bool IsCommonWord(string word) => _related.ContainsKey(word) || Lemmas(word).Any(_related.ContainsKey);

    /// <summary>
    /// The dictionary forms of a folded word that the thesaurus knows ("demands" → "demand",
    /// "died" → "die", "led" → "lead"); the word itself when it knows none.
    /// </summary>
    public IReadOnlyList<string> Lemmas(string word)
    {
        // WordNet spells the American way: "organised" is looked up as "organized" too.
        if (word.Contains("is", StringComparison.Ordinal) && !_related.ContainsKey(word))
        {
            var american = AmericanSpelling(word);
            if (american != word && Lemmas(american) is { } forms && forms[0] != american)
            {
                return forms;
            }
        }

        var found = new List<string>(2);
        if (_related.ContainsKey(word))
        {
            found.Add(word);
        }

        if (Irregular.TryGetValue(word, out var irregular))
        {
            found.Add(irregular);
        }

        foreach (var (suffix, replacement) in Detachments)
        {
            if (word.Length >= suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                var lemma = word[..^suffix.Length] + replacement;
                if (_related.ContainsKey(lemma) && !found.Contains(lemma))
                {
                    found.Add(lemma);
                }
            }
        }

        // "stopped" → "stopp" → "stop": a doubled final consonant before -ed/-ing.
        if (found.Count == 0 && word.Length > 5 && (word.EndsWith("ed", StringComparison.Ordinal) || word.EndsWith("ing", StringComparison.Ordinal)))
        {
            var stem = word.EndsWith("ed", StringComparison.Ordinal) ? word[..^2] : word[..^3];
            if (stem.Length > 2 && stem[^1] == stem[^2] && _related.ContainsKey(stem[..^1]))
            {
                found.Add(stem[..^1]);
            }
        }

        return found.Count > 0 ? found : [word];
    }

    private static string AmericanSpelling(string word)
    {
        foreach (var (british, american) in (ReadOnlySpan<(string, string)>)[("isation", "ization"), ("iser", "izer"), ("ising", "izing"), ("ised", "ized"), ("ises", "izes"), ("ise", "ize")])
        {
            var at = word.LastIndexOf(british, StringComparison.Ordinal);
            if (at > 2)
            {
                return word[..at] + american + word[(at + british.Length)..];
            }
        }

        return word;
    }

    /// <summary>The word's dictionary forms and every word related to them.</summary>
    public IReadOnlySet<string> Expand(string word)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lemma in Lemmas(word))
        {
            set.Add(lemma);
            if (_related.TryGetValue(lemma, out var related))
            {
                set.UnionWith(related);
            }
        }

        return set;
    }

    private static Thesaurus Load()
    {
        using var stream = typeof(Thesaurus).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"The thesaurus {Resource} is not embedded in the retrieval assembly.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var related = new Dictionary<string, string[]>(16_000, StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                related[line[..tab]] = line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        // The news paraphrase groups: each word is related to the rest of its group.
        using var groups = typeof(Thesaurus).Assembly.GetManifestResourceStream(ParaphraseResource)
            ?? throw new InvalidOperationException($"The paraphrase list {ParaphraseResource} is not embedded in the retrieval assembly.");
        using var groupReader = new StreamReader(groups);
        while (groupReader.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var word in words)
            {
                var others = words.Where(w => w != word);
                related[word] = related.TryGetValue(word, out var existing) ? [.. existing.Union(others)] : [.. others];
            }
        }

        return new Thesaurus(related);
    }
}
