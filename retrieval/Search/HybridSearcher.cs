using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Lexical;
using CaravanBot.Retrieval.Ranking;

namespace CaravanBot.Retrieval.Search;

/// <summary>A sentence with its scores for one question.</summary>
/// <param name="Sentence">Index into <see cref="ArticleIndex.Sentences"/>.</param>
/// <param name="Fused">The learned ranker's probability that the sentence answers the question (what ranks sentences).</param>
/// <param name="Dense">Embedding cosine of the question to the sentence.</param>
/// <param name="Lexical">TF-IDF coverage of the question by the sentence.</param>
/// <param name="Paragraph">Embedding cosine of the question to the sentence's paragraph.</param>
/// <param name="Entity">Share of the question's actors that the sentence mentions (0..1).</param>
public readonly record struct SentenceScore(int Sentence, double Fused, double Dense, double Lexical, double Paragraph, double Entity);

/// <summary>The ranked sentences for one question, with what the models read to rank them and to decide whether to answer.</summary>
/// <param name="Query">The cleaned, spell-corrected question that was searched.</param>
/// <param name="Ranked">Sentences, best first.</param>
/// <param name="Signals">Raw similarities per sentence (sentence order).</param>
/// <param name="Features">Ranker features per sentence (sentence order).</param>
/// <param name="Question">What is known about the question itself.</param>
/// <param name="Parts">For a question asking several things, one result per part; empty otherwise.</param>
public sealed record SearchResult(
    string Query,
    IReadOnlyList<SentenceScore> Ranked,
    IReadOnlyList<SentenceSignals> Signals,
    IReadOnlyList<float[]> Features,
    QuestionSignals Question,
    IReadOnlyList<SearchResult> Parts)
{
    /// <summary>The embedding of the question as searched (<see cref="Query"/>); empty for an empty search.</summary>
    public float[] QueryVector { get; init; } = [];

    /// <summary>The result of an empty search.</summary>
    public static SearchResult Empty { get; } = new(string.Empty, [], [], [], default, []);

    /// <summary>The best sentence's score, or null when nothing was searched.</summary>
    public SentenceScore? Best => Ranked.Count > 0 ? Ranked[0] : null;

    /// <summary>The best paragraph similarity to the question: how close the article comes to its topic.</summary>
    public double BestParagraph => Signals.Count > 0 ? Signals.Max(s => s.DenseParagraph) : 0;
}

/// <summary>A cleaned question ready to embed and search.</summary>
/// <param name="Text">The spell-corrected question.</param>
/// <param name="LexicalText">What the lexical channel matches: the question less the words naming its actors.</param>
/// <param name="Entities">The actors it names.</param>
/// <param name="Variants">Texts to embed; a sentence's similarity is its best match among them.</param>
/// <param name="Frame">The kind of fact it asks for.</param>
/// <param name="Defines">Actors a "who is…?" question asks to have introduced.</param>
/// <param name="UnknownNames">Capitalised names in the question that the article never mentions.</param>
/// <param name="Parts">For a question asking several things, each part prepared on its own; empty otherwise.</param>
/// <param name="Predicate">What the question asks about its actors, without their names ("what's … asking the US for"), to embed on its own; null when it names no actor.</param>
public sealed record PreparedQuery(
    string Text,
    string LexicalText,
    IReadOnlyList<int> Entities,
    IReadOnlyList<string> Variants,
    QuestionFrame Frame,
    IReadOnlyList<int> Defines,
    int UnknownNames,
    IReadOnlyList<PreparedQuery> Parts,
    string? Predicate = null)
{
    /// <summary>The kind of fact the question asks for.</summary>
    public AnswerType Wants => Frame.Wants;

    /// <summary>The texts to embed for this query alone: its variants, then its predicate.</summary>
    public IReadOnlyList<string> Texts => Predicate is null ? Variants : [.. Variants, Predicate];

    /// <summary>Every text to embed for this query and its parts, in a fixed order.</summary>
    public IReadOnlyList<string> AllTexts => [.. Texts, .. Parts.SelectMany(p => p.Texts)];
}

/// <summary>
/// Hybrid retrieval: reads a question's meaning with the sentence-embedding model (at sentence,
/// clause and paragraph level), its words with TF-IDF and word by word, the actors it names and
/// the kind of fact it asks for, and ranks sentences with the learned ranker of <see cref="AnswerModel"/>.
/// </summary>
public sealed partial class HybridSearcher
{
    private readonly ArticleIndex _index;
    private readonly AnswerModel? _model;

    /// <summary>Creates a searcher over one index; without a model sentences are ordered by meaning alone (for training).</summary>
    public HybridSearcher(ArticleIndex index, AnswerModel? model)
    {
        _index = index;
        _model = model;
    }

    /// <summary>What the models are asked to embed for a cleaned question.</summary>
    public PreparedQuery Prepare(string cleanedQuestion)
    {
        var focused = QuestionText.Focus(cleanedQuestion);
        var parts = QuestionParts.Split(focused);
        var prepared = PrepareOne(focused);
        return parts.Count < 2 ? prepared : prepared with { Parts = parts.Select(PrepareOne).ToArray() };
    }

    /// <summary>Embeds the query (and its parts) and searches.</summary>
    public SearchResult Search(PreparedQuery query, CancellationToken cancellationToken = default) =>
        Search(query, _index.Dense.Model.EmbedQueries(query.AllTexts, cancellationToken));

    /// <summary>Searches with the query's texts (<see cref="PreparedQuery.AllTexts"/>) already embedded.</summary>
    public SearchResult Search(PreparedQuery query, IReadOnlyList<float[]> vectors)
    {
        var result = SearchOne(query, vectors.Take(query.Texts.Count).ToArray());
        if (query.Parts.Count == 0)
        {
            return result;
        }

        var parts = new List<SearchResult>();
        var next = query.Texts.Count;
        foreach (var part in query.Parts)
        {
            var count = part.Texts.Count;
            parts.Add(SearchOne(part, vectors.Skip(next).Take(count).ToArray()));
            next += count;
        }

        return result with { Parts = parts };
    }

    private PreparedQuery PrepareOne(string question)
    {
        var corrected = _index.Speller.Correct(_index.Acronyms.Expand(ChatWords.Expand(question)));
        var entities = _index.Entities.MentionsIn(corrected);
        // The models read the article with every actor under their full name; the question is
        // read the same way ("what's the Mexican president asking…" → "what's Andrés Manuel López
        // Obrador asking…"), and as typed.
        var variants = new List<string> { corrected };
        if (entities.Count > 0 && _index.Entities.WithFullNames(corrected) is var named && named != corrected)
        {
            variants.Insert(0, named);
        }

        // The question in the article's own words, where a reader used a synonym ("demands" → "wants").
        if (_index.Words.InArticleWords(variants[0]) is { } reworded)
        {
            variants.Add(reworded);
        }

        // "Who is López Obrador?" asks to have the actor introduced; "What are López Obrador's
        // demands?" asks about something else and only names him.
        var (lexicalText, onlyActors) = WithoutActors(corrected, entities);
        var defines = onlyActors && Definitional().IsMatch(corrected) ? entities : [];
        return new PreparedQuery(
            corrected, lexicalText, entities, variants, AnswerTypes.Frame(corrected), defines, UnknownNames(question, entities), [],
            entities.Count > 0 && !onlyActors ? lexicalText : null);
    }

    private SearchResult SearchOne(PreparedQuery query, float[][] texts)
    {
        var vectors = texts[..query.Variants.Count];
        var predicate = query.Predicate is null ? null : texts[query.Variants.Count];
        var sentences = _index.Sentences;
        var lexicalParts = _index.Lexical.ScoreParts(query.LexicalText);
        var lexical = lexicalParts.Combined;
        var windows = BestWindows(_index.Dense, vectors);
        var paragraphs = _index.Dense.Paragraphs.Select(p => MaxCosine(vectors, p)).ToArray();
        var countedStem = query.Frame.Counted is { } counted ? LightStemmer.Stem(counted) : null;
        var coverage = _index.Words.Cover(query.LexicalText, query.Wants);
        var numbers = AnswerTypes.Numbers(query.Text);

        var signals = new SentenceSignals[sentences.Count];
        for (var s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            var p = sentence.Paragraph;
            var dense = MaxCosine(vectors, _index.Dense.Sentences[s]);
            signals[s] = new SentenceSignals(
                dense,
                predicate is null ? dense : VectorMath.Dot(predicate, _index.Dense.Sentences[s]),
                Math.Max(dense, windows[s]),
                paragraphs[p],
                lexical[s],
                lexicalParts.Words[s],
                lexical[sentences.Count + p],
                query.Entities.Count == 0 ? 0 : query.Entities.Count(e => sentence.Entities.Contains(e)) / (double)query.Entities.Count,
                query.Defines.Any(e => Introduces(sentence, e)),
                query.Wants != AnswerType.None && (sentence.Supplies & query.Wants) != 0,
                countedStem is null ? 0 : sentence.Counted.Any(w => LightStemmer.Stem(w) == countedStem) ? 1 : 0,
                coverage[s].Weakest,
                coverage[s].Mean,
                coverage[s].Related,
                coverage[s].Slot,
                numbers.Count == 0 ? 0 : numbers.Count(sentence.Numbers.Contains) / (double)numbers.Count);
        }

        var features = RankingFeatures.ForSentences(_index, signals, query.Wants);
        var question = new QuestionSignals(
            query.Wants,
            _index.Lexical.UnknownShare(query.Text),
            Words.Of(query.Text).Count(),
            query.Entities.Count,
            query.UnknownNames,
            MaxCosine(vectors, _index.Dense.Centroid),
            query.Frame.Counted is not null,
            _index.Dense.Furniture.Length == 0 ? -1 : _index.Dense.Furniture.Max(f => MaxCosine(vectors, f)));
        var ranked = new SentenceScore[sentences.Count];
        for (var s = 0; s < sentences.Count; s++)
        {
            // Without a model (while training one) sentences are ordered by meaning alone.
            var score = _model?.Ranker.Probability(features[s]) ?? signals[s].DenseSentence;
            ranked[s] = new SentenceScore(s, score, signals[s].DenseSentence, signals[s].LexicalSentence, signals[s].DenseParagraph, signals[s].ActorShare);
        }

        Array.Sort(ranked, (a, b) => b.Fused.CompareTo(a.Fused));
        return new SearchResult(query.Text, ranked, signals, features, question, [])
        {
            // The question as searched is always one of the variants (the first when no actor was renamed).
            QueryVector = vectors[query.Variants.Select((v, i) => (v, i)).FirstOrDefault(x => x.v == query.Text).i],
        };
    }

    /// <summary>Each sentence's best clause-window similarity (−1 when it has no windows).</summary>
    private static double[] BestWindows(DenseChannel channel, float[][] query)
    {
        var best = new double[channel.Sentences.Length];
        Array.Fill(best, -1);
        for (var w = 0; w < channel.Windows.Length; w++)
        {
            var s = channel.WindowSentence[w];
            best[s] = Math.Max(best[s], MaxCosine(query, channel.Windows[w]));
        }

        return best;
    }

    /// <summary>
    /// The question without the words that name its actors: the actor channel already rewards
    /// sentences about them (under any alias), so the lexical channel should weigh what is asked
    /// about them ("want"), not count the actor a second time. Falls back to the whole question
    /// when nothing else is left ("Who is López Obrador?"), and says so.
    /// </summary>
    private (string Text, bool OnlyActors) WithoutActors(string question, IReadOnlyList<int> entities)
    {
        if (entities.Count == 0)
        {
            return (question, false);
        }

        var phrase = Words.FoldedPhrase(question);
        foreach (var e in entities)
        {
            foreach (var alias in _index.Entities.Entities[e].Aliases.OrderByDescending(a => a.Length))
            {
                phrase = phrase.Replace(" " + alias + " ", " ", StringComparison.Ordinal);
            }
        }

        var rest = phrase.Trim();
        return Words.Of(rest).Any(w => !FunctionWords.Contains(w.Key)) ? (rest, false) : (question, true);
    }

    /// <summary>
    /// Capitalised words past the first that the article never uses: a name it does not know. A
    /// short form the question was read through ("AMLO", "SNC", the "D" of "Dr D") names someone
    /// the article does know.
    /// </summary>
    private int UnknownNames(string question, IReadOnlyList<int> entities)
    {
        var aliasWords = entities.SelectMany(e => _index.Entities.Entities[e].Aliases).SelectMany(a => a.Split(' ')).ToHashSet(StringComparer.Ordinal);
        return Words.Of(question).Skip(1).Count(w => w.IsCapitalised && !FunctionWords.Contains(w.Key) && !_index.Speller.InArticle(w.Key)
            && !aliasWords.Contains(w.Key) && !_index.Acronyms.Knows(w.Key)
            // "What are López Obrador's demands?": the article's "Obrador" in the possessive.
            && !(w.Key.EndsWith("'s", StringComparison.Ordinal) && _index.Speller.InArticle(w.Key[..^2])));
    }

    /// <summary>True when the sentence names the actor in full, as an article does when it introduces someone.</summary>
    private bool Introduces(IndexedSentence sentence, int entity) =>
        sentence.Entities.Contains(entity)
        && Words.FoldedPhrase(sentence.Text).Contains(Words.FoldedPhrase(_index.Entities.Entities[entity].Name), StringComparison.Ordinal);

    [GeneratedRegex(@"^\s*(who|what)(\s+(is|are|was|were)|'s|’s)\s", RegexOptions.IgnoreCase)]
    private static partial Regex Definitional();

    private static double MaxCosine(float[][] variants, float[] target)
    {
        var best = double.MinValue;
        foreach (var v in variants)
        {
            best = Math.Max(best, VectorMath.Dot(v, target));
        }

        return best;
    }
}
