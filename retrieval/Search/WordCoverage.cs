using System.Collections.Concurrent;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Lexical;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// How well each sentence covers each content word of a question: 1 when the sentence uses the
/// word (same stem), else the closest word meaning in the sentence (cosine of the two words'
/// MiniLM vectors). The weakest-covered word tells an unanswerable question from a paraphrase:
/// "How many migrants died?" has nothing near "died" in the sentence about the group's size, while
/// "How many fans showed up?" finds "crowd" near "fans".
/// </summary>
public sealed class WordCoverage
{
    // Question words, auxiliaries and fillers that carry no content of their own.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "many", "much", "long", "old", "exactly", "actually", "really", "get", "got", "gets", "make", "made",
        "go", "going", "went", "happen", "happened", "thing", "things", "kind", "sort", "one", "ones", "else",
        "other", "others", "like", "people", "person", "someone", "anyone", "anything", "something", "way",
        "know", "think", "want", "wanted", "need", "use", "used", "give", "gave", "take", "took",
    };

    private const int MaximumCachedWords = 20_000;

    private readonly ISentenceEmbedder _model;
    private readonly Dictionary<string, float[]> _articleWords;
    private readonly string[][] _sentenceStems;
    private readonly HashSet<string>[] _sentenceLemmas;
    private readonly Dictionary<string, (string Form, int Count)> _articleForms;
    private readonly SlotWords[][] _sentenceSlots;
    private readonly ConcurrentDictionary<string, float[]> _questionWords = new(StringComparer.Ordinal);

    private WordCoverage(ISentenceEmbedder model, Dictionary<string, float[]> articleWords, string[][] sentenceStems, HashSet<string>[] sentenceLemmas, Dictionary<string, (string Form, int Count)> articleForms, SlotWords[][] sentenceSlots)
    {
        _sentenceSlots = sentenceSlots;
        _articleForms = articleForms;
        _model = model;
        _articleWords = articleWords;
        _sentenceStems = sentenceStems;
        _sentenceLemmas = sentenceLemmas;
    }

    /// <summary>Embeds each distinct content word of the article once.</summary>
    public static WordCoverage Build(IReadOnlyList<string> sentences, ISentenceEmbedder model, CancellationToken cancellationToken = default)
    {
        var stems = sentences.Select(s => ContentWords(s).Select(w => w.Stem).Distinct(StringComparer.Ordinal).ToArray()).ToArray();
        var words = new Dictionary<string, string>(StringComparer.Ordinal); // stem → a word form to embed
        foreach (var sentence in sentences)
        {
            foreach (var (word, stem) in ContentWords(sentence))
            {
                words.TryAdd(stem, word);
            }
        }

        var forms = words.Values.ToArray();
        var vectors = model.Embed(forms, cancellationToken);
        var byStem = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var k = 0;
        foreach (var stem in words.Keys)
        {
            byStem[stem] = vectors[k++];
        }

        var thesaurus = Thesaurus.Shared;
        var lemmas = sentences.Select(s => ContentWords(s).SelectMany(w => thesaurus.Lemmas(w.Word)).ToHashSet(StringComparer.Ordinal)).ToArray();
        var articleForms = new Dictionary<string, (string Form, int Count)>(StringComparer.Ordinal);
        foreach (var sentence in sentences)
        {
            foreach (var (word, _) in ContentWords(sentence))
            {
                foreach (var lemma in thesaurus.Lemmas(word))
                {
                    articleForms[lemma] = articleForms.TryGetValue(lemma, out var known) ? (known.Form, known.Count + 1) : (word, 1);
                }
            }
        }

        var slots = sentences.Select(SlotsOf).ToArray();
        return new WordCoverage(model, byStem, stems, lemmas, articleForms, WithEchoes(slots));
    }

    // A figure stated twice names one fact: the words around "8,000" in the headline ("8,000-strong
    // migrant caravan") also tell what "an estimated 8,000-strong group of migrants" in the lede is.
    private static SlotWords[][] WithEchoes(SlotWords[][] slots)
    {
        var byFigure = new Dictionary<string, (HashSet<string> Stems, HashSet<string> Lemmas, int Count)>(StringComparer.Ordinal);
        foreach (var slot in slots.SelectMany(s => s))
        {
            foreach (var figure in slot.Figures)
            {
                var (stems, lemmas, count) = byFigure.TryGetValue(figure, out var known) ? known : ([], [], 0);
                stems.UnionWith(slot.Stems);
                lemmas.UnionWith(slot.Lemmas);
                byFigure[figure] = (stems, lemmas, count + 1);
            }
        }

        return slots.Select(sentence => sentence.Select(slot =>
        {
            var echoes = slot.Figures.Where(f => byFigure[f].Count > 1).ToArray();
            if (echoes.Length == 0)
            {
                return slot;
            }

            var stems = new HashSet<string>(slot.Stems, StringComparer.Ordinal);
            var lemmas = new HashSet<string>(slot.Lemmas, StringComparer.Ordinal);
            foreach (var figure in echoes)
            {
                stems.UnionWith(byFigure[figure].Stems);
                lemmas.UnionWith(byFigure[figure].Lemmas);
            }

            return slot with { Stems = stems, Lemmas = lemmas };
        }).ToArray()).ToArray();
    }

    // The words around each place the sentence states a fact (see FactSlots). Each digit of a
    // figure matches the count cue, so identical windows are kept once.
    private static SlotWords[] SlotsOf(string sentence)
    {
        var thesaurus = Thesaurus.Shared;
        return FactSlots.Of(sentence)
            .Select(slot => (Slot: slot, Figures: AnswerTypes.DistinctiveFigures(sentence, slot.Cue.Start, slot.Cue.End)))
            .DistinctBy(x => (x.Slot.Type, x.Slot.Start, x.Slot.End, string.Join(',', x.Figures)))
            .Select(x =>
            {
                var around = ContentWords(sentence[x.Slot.Start..x.Slot.End]);
                return new SlotWords(
                    x.Slot.Type,
                    x.Figures,
                    around.Select(w => w.Stem).ToHashSet(StringComparer.Ordinal),
                    around.SelectMany(w => thesaurus.Lemmas(w.Word)).ToHashSet(StringComparer.Ordinal));
            })
            .ToArray();
    }

    /// <summary>
    /// The question in the article's words: each content word the article never uses is replaced by
    /// the article word related to it (thesaurus) that is closest to it in meaning ("what are López
    /// Obrador's demands" → "what are López Obrador's wants"); null when no word changes. Read by the
    /// embedding model as one more form of the question.
    /// </summary>
    public string? InArticleWords(string question, CancellationToken cancellationToken = default)
    {
        var thesaurus = Thesaurus.Shared;
        System.Text.StringBuilder? builder = null;
        var last = 0;
        foreach (var word in Search.Words.Of(question))
        {
            var key = word.Key;
            if (key.Length < 3 || FunctionWords.Contains(key) || Ignored.Contains(key) || thesaurus.Lemmas(key).Any(_articleForms.ContainsKey))
            {
                continue;
            }

            var candidates = thesaurus.Expand(key).Where(_articleForms.ContainsKey).Select(l => _articleForms[l].Form).Distinct(StringComparer.Ordinal).ToArray();
            if (candidates.Length == 0)
            {
                continue;
            }

            var vector = QuestionVectors([(key, LightStemmer.Stem(key))], cancellationToken)[key];
            var best = candidates
                .Select(c => (Form: c, Similarity: _articleWords.TryGetValue(LightStemmer.Stem(c), out var v) ? VectorMath.Dot(vector, v) : 0f))
                .OrderByDescending(c => c.Similarity)
                .ThenBy(c => c.Form, StringComparer.Ordinal)
                .First();
            builder ??= new System.Text.StringBuilder(question.Length + 16);
            builder.Append(question, last, word.Start - last).Append(best.Form);
            last = word.End;
        }

        return builder?.Append(question, last, question.Length - last).ToString();
    }

    /// <summary>The content words of a question (folded word and stem), as coverage weighs them.</summary>
    public static IReadOnlyList<(string Word, string Stem)> ContentWords(string text) =>
        Words.Of(text)
            .Select(w => w.Key)
            .Where(k => k.Length >= 2 && !FunctionWords.Contains(k) && !Ignored.Contains(k))
            .Select(k => (k, LightStemmer.Stem(k)))
            .ToArray();

    /// <summary>
    /// For each sentence, the weakest and the mean coverage of the question's content words, and the
    /// share of them the sentence says in the same or a related word (the same dictionary form or a
    /// thesaurus relation), each word weighted by how few sentences say it. All 1 when the question
    /// has no content words. For a question asking a kind of fact that has a place in the sentence
    /// (a count, a date, a sum…), the same share among the words around where the sentence states
    /// one (0 when it states none; the sentence's share when the question asks no such kind).
    /// </summary>
    public WordCover[] Cover(string question, AnswerType wants = AnswerType.None, CancellationToken cancellationToken = default)
    {
        var words = ContentWords(question).DistinctBy(w => w.Stem).ToArray();
        var result = new WordCover[_sentenceStems.Length];
        if (words.Length == 0)
        {
            Array.Fill(result, new WordCover(1, 1, 1, 1));
            return result;
        }

        var placed = wants & AnswerTypes.Placed;
        var thesaurus = Thesaurus.Shared;
        var lemmas = words.Select(w => thesaurus.Lemmas(w.Word)).ToArray();
        var expanded = words.Select(w => thesaurus.Expand(w.Word)).ToArray();
        var vectors = QuestionVectors(words, cancellationToken);

        // Which sentences say each word or a related one; a word said almost everywhere ("say" in
        // a news story) tells little, so each word weighs its inverse sentence frequency.
        var says = new bool[words.Length, _sentenceStems.Length];
        var weight = new double[words.Length];
        for (var k = 0; k < words.Length; k++)
        {
            var frequency = 0;
            for (var s = 0; s < _sentenceStems.Length; s++)
            {
                says[k, s] = Says(_sentenceStems[s], _sentenceLemmas[s], words[k].Stem, expanded[k], lemmas[k]);
                frequency += says[k, s] ? 1 : 0;
            }

            weight[k] = Math.Log(1 + (_sentenceStems.Length / (1.0 + frequency)));
        }

        var totalWeight = weight.Sum();
        for (var s = 0; s < _sentenceStems.Length; s++)
        {
            double weakest = 1, sum = 0, related = 0;
            for (var k = 0; k < words.Length; k++)
            {
                var (word, stem) = words[k];
                related += says[k, s] ? weight[k] : 0;
                var cover = 0.0;
                if (_sentenceStems[s].Contains(stem))
                {
                    cover = 1;
                }
                else
                {
                    var q = vectors[word];
                    foreach (var other in _sentenceStems[s])
                    {
                        cover = Math.Max(cover, VectorMath.Dot(q, _articleWords[other]));
                    }
                }

                weakest = Math.Min(weakest, cover);
                sum += cover;
            }

            var share = totalWeight > 0 ? related / totalWeight : 0;
            var slot = placed == AnswerType.None ? share : 0;
            foreach (var around in _sentenceSlots[s])
            {
                if ((around.Type & placed) == 0)
                {
                    continue;
                }

                double said = 0;
                for (var k = 0; k < words.Length; k++)
                {
                    said += Says(around.Stems, around.Lemmas, words[k].Stem, expanded[k], lemmas[k]) ? weight[k] : 0;
                }

                slot = Math.Max(slot, totalWeight > 0 ? said / totalWeight : 0);
            }

            result[s] = new WordCover(weakest, sum / words.Length, share, slot);
        }

        return result;
    }

    // Whether a text says a question word: the same stem, or a related word (same dictionary form or thesaurus relation).
    private static bool Says(IEnumerable<string> stems, HashSet<string> textLemmas, string stem, IEnumerable<string> expanded, IEnumerable<string> lemmas) =>
        stems.Contains(stem) || expanded.Any(textLemmas.Contains) || lemmas.Any(textLemmas.Contains);

    private Dictionary<string, float[]> QuestionVectors((string Word, string Stem)[] words, CancellationToken cancellationToken)
    {
        var missing = words.Select(w => w.Word).Where(w => !_questionWords.ContainsKey(w)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            var vectors = _model.Embed(missing, cancellationToken);
            if (_questionWords.Count > MaximumCachedWords)
            {
                _questionWords.Clear();
            }

            for (var i = 0; i < missing.Length; i++)
            {
                _questionWords[missing[i]] = vectors[i];
            }
        }

        return words.ToDictionary(w => w.Word, w => _questionWords.TryGetValue(w.Word, out var v) ? v : _model.Embed([w.Word], cancellationToken)[0], StringComparer.Ordinal);
    }
}

/// <summary>How one sentence covers a question's content words.</summary>
/// <param name="Weakest">Coverage of the least-covered word (1 for the same word, else the closest word meaning).</param>
/// <param name="Mean">Mean coverage of the words.</param>
/// <param name="Related">Share of the words (weighted by rarity in the article) the sentence says in the same or a related word (thesaurus).</param>
/// <param name="Slot">The same share among the words around where the sentence states the kind of fact asked (see <see cref="WordCoverage.Cover"/>).</param>
public readonly record struct WordCover(double Weakest, double Mean, double Related, double Slot);

/// <summary>The words around one place a sentence states a fact: the kind of fact, the figures stated there, and the words' stems and dictionary forms.</summary>
internal sealed record SlotWords(AnswerType Type, IReadOnlyList<string> Figures, HashSet<string> Stems, HashSet<string> Lemmas);
