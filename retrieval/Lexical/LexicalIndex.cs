using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace CaravanBot.Retrieval.Lexical;

/// <summary>
/// TF-IDF over word uni/bigrams and character trigrams, from Microsoft.ML's text featurizer:
/// lower-cased, diacritics and punctuation dropped, function words removed and words lightly
/// stemmed first. Character trigrams let a typo still meet its word. Fitted on the
/// article's own units, so the IDF reflects what is distinctive in this story.
/// </summary>
/// <remarks>
/// The score is query coverage, not cosine: the share of the question's TF-IDF weight that the
/// document contains, averaged over the word and character features. Cosine would punish a long
/// sentence for saying more than the question asks; coverage asks whether it says what was asked.
/// </remarks>
public sealed class LexicalIndex
{
    private readonly PredictionEngine<TextRow, FeatureRow> _engine;
    private readonly Lock _engineLock = new();
    private readonly HashSet<int>[] _documents;
    private readonly bool[] _isWordFeature;
    private readonly HashSet<string> _vocabulary;
    private readonly float _unknownWordWeight;

    private LexicalIndex(PredictionEngine<TextRow, FeatureRow> engine, HashSet<int>[] documents, bool[] isWordFeature, HashSet<string> vocabulary, float unknownWordWeight)
    {
        _engine = engine;
        _documents = documents;
        _isWordFeature = isWordFeature;
        _vocabulary = vocabulary;
        _unknownWordWeight = unknownWordWeight;
    }

    /// <summary>Number of indexed documents.</summary>
    public int Count => _documents.Length;

    /// <summary>Fits the featurizer on <paramref name="documents"/> and vectorises each of them.</summary>
    public static LexicalIndex Build(IReadOnlyList<string> documents)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(documents.Select(d => new TextRow { Text = LightStemmer.StemText(d) }));
        var options = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 2,
                UseAllLengths = true,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            CharFeatureExtractor = new WordBagEstimator.Options
            {
                NgramLength = 3,
                UseAllLengths = false,
                Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf,
            },
            Norm = TextFeaturizingEstimator.NormFunction.None,
            // Function words are removed by LightStemmer.StemText instead (see FunctionWords).
            StopWordsRemoverOptions = null,
        };
        var model = ml.Transforms.Text.FeaturizeText(nameof(FeatureRow.Features), options, nameof(TextRow.Text)).Fit(data);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        model.GetOutputSchema(data.Schema)[nameof(FeatureRow.Features)].GetSlotNames(ref slotNames);
        var names = slotNames.DenseValues().Select(n => n.ToString()).ToArray();
        var isWordFeature = names.Select(n => n.StartsWith("Word.", StringComparison.Ordinal)).ToArray();
        var vocabulary = names.Where(n => n.StartsWith("Word.", StringComparison.Ordinal) && !n.Contains('|', StringComparison.Ordinal))
            .Select(n => n[5..]).ToHashSet(StringComparer.Ordinal);

        // Documents go through the same prediction engine as queries, so both are featurised alike.
        var engine = ml.Model.CreatePredictionEngine<TextRow, FeatureRow>(model);
        var present = documents
            .Select(d => engine.Predict(new TextRow { Text = LightStemmer.StemText(d) }).Features)
            .Select(f => Enumerable.Range(0, f.Length).Where(i => f[i] > 0).ToHashSet())
            .ToArray();
        // A question word the article never uses weighs as much as the article's rarest word:
        // "How many migrants died?" must not look fully covered because "died" is unknown here.
        var rarest = documents.Count > 0 ? (float)Math.Log(documents.Count + 1.0) : 1f;
        return new LexicalIndex(engine, present, isWordFeature, vocabulary, rarest);
    }

    /// <summary>Query coverage (0..1) of every document, in document order: word and character features averaged.</summary>
    public float[] Score(string query) => ScoreParts(query).Combined;

    /// <summary>Query coverage of every document by word features, by character trigrams, and the two averaged.</summary>
    public LexicalScores ScoreParts(string query)
    {
        var stemmed = LightStemmer.StemText(query);
        float[] features;
        lock (_engineLock)
        {
            features = _engine.Predict(new TextRow { Text = stemmed }).Features;
        }

        var scores = new float[_documents.Length];
        var words = new float[_documents.Length];
        var characters = new float[_documents.Length];
        if (features.Length != _isWordFeature.Length)
        {
            return new LexicalScores(words, characters, scores);
        }

        var queryFeatures = new List<(int Index, float Weight, bool Word)>();
        float wordTotal = _unknownWordWeight * UnknownWords(stemmed), charTotal = 0;
        for (var i = 0; i < features.Length; i++)
        {
            if (features[i] <= 0)
            {
                continue;
            }

            queryFeatures.Add((i, features[i], _isWordFeature[i]));
            if (_isWordFeature[i])
            {
                wordTotal += features[i];
            }
            else
            {
                charTotal += features[i];
            }
        }

        for (var d = 0; d < _documents.Length; d++)
        {
            float word = 0, character = 0;
            foreach (var (index, weight, isWord) in queryFeatures)
            {
                if (_documents[d].Contains(index))
                {
                    if (isWord)
                    {
                        word += weight;
                    }
                    else
                    {
                        character += weight;
                    }
                }
            }

            words[d] = wordTotal > 0 ? word / wordTotal : 0;
            characters[d] = charTotal > 0 ? character / charTotal : 0;
            scores[d] = (words[d] + characters[d]) / 2;
        }

        return new LexicalScores(words, characters, scores);
    }

    /// <summary>Share (0..1) of the query's content words that the article never uses.</summary>
    public double UnknownShare(string query)
    {
        var words = Search.Words.Of(LightStemmer.StemText(query)).ToArray();
        return words.Length == 0 ? 0 : words.Count(w => !_vocabulary.Contains(w.Text)) / (double)words.Length;
    }

    private int UnknownWords(string stemmedQuery) =>
        Search.Words.Of(stemmedQuery).Count(w => !_vocabulary.Contains(w.Text));

    private sealed class TextRow
    {
        public string Text { get; set; } = string.Empty;
    }

    private sealed class FeatureRow
    {
        [VectorType]
        public float[] Features { get; set; } = [];
    }
}

/// <summary>Query coverage of each document (document order).</summary>
/// <param name="Words">By word uni- and bigrams.</param>
/// <param name="Characters">By character trigrams (meets typos and word forms).</param>
/// <param name="Combined">The two averaged.</param>
public sealed record LexicalScores(float[] Words, float[] Characters, float[] Combined);
