using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Lexical;

namespace CaravanBot.Retrieval.Search;

/// <summary>One indexed sentence: where it is, what it says, which actors it mentions.</summary>
/// <param name="Paragraph">0-based index of its paragraph in the article.</param>
/// <param name="Span">Its character span in the paragraph text.</param>
/// <param name="Text">Its text.</param>
/// <param name="Entities">Indexes of the actors it mentions (or, for a bare quotation, its speaker's).</param>
/// <param name="Supplies">The kinds of fact it can answer.</param>
/// <param name="IsHeadline">True for the headline and standfirst, which summarise rather than report.</param>
/// <param name="Counted">Folded words that follow a number in it: the things it counts.</param>
/// <param name="Numbers">The numbers written in figures in it, without separators ("660,000" → "660000").</param>
public sealed record IndexedSentence(int Paragraph, TextSpan Span, string Text, IReadOnlyList<int> Entities, AnswerType Supplies, bool IsHeadline, IReadOnlyList<string> Counted, IReadOnlyList<string> Numbers)
{
    /// <summary>True for a quotation standing alone: “We are not trading pieces…”.</summary>
    public bool IsBareQuotation
    {
        get
        {
            var t = Text.Trim();
            return t.Length > 2 && t[0] is '“' or '"' && (t[^1] is '”' or '"' || t.EndsWith("”.", StringComparison.Ordinal));
        }
    }
}

/// <summary>One embedding model's vectors for an article: sentences, paragraphs and the clause windows of long sentences.</summary>
/// <param name="Model">The model that embedded them (questions must be embedded with it too).</param>
/// <param name="Sentences">Unit vectors of the sentences, in sentence order.</param>
/// <param name="Paragraphs">Unit vectors of the paragraphs, in paragraph order.</param>
/// <param name="Windows">Unit vectors of the clause windows.</param>
/// <param name="WindowSentence">For each window, the index of its sentence.</param>
/// <param name="Furniture">Unit vectors of the page furniture the story left out (never quoted; see <see cref="ArticleIndex.Build"/>).</param>
public sealed record DenseChannel(ISentenceEmbedder Model, float[][] Sentences, float[][] Paragraphs, float[][] Windows, int[] WindowSentence, float[][] Furniture)
{
    /// <summary>
    /// The article's centre: the normalised mean of its paragraph vectors. A question close to the
    /// centre is on the article's topic; a sentence answers it when it is clearly closer still.
    /// </summary>
    public float[] Centroid { get; } = CentreOf(Paragraphs);

    private static float[] CentreOf(float[][] vectors)
    {
        var centre = new float[vectors.Length > 0 ? vectors[0].Length : 0];
        foreach (var v in vectors)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(centre, v, centre);
        }

        VectorMath.Normalize(centre);
        return centre;
    }
}

/// <summary>How far indexing an article has got: texts embedded of all to embed.</summary>
/// <param name="Embedded">Texts (sentences and paragraphs) embedded so far.</param>
/// <param name="Total">Texts to embed in all.</param>
public readonly record struct IndexingProgress(int Embedded, int Total);

/// <summary>
/// Everything retrieval needs about one article, computed once: sentence, paragraph and clause
/// embeddings, the TF-IDF index over sentences and paragraphs, the article's
/// vocabulary for spelling, its actors, and what kinds of fact each sentence can supply.
/// Immutable after construction, so it is safe to share between threads.
/// </summary>
public sealed class ArticleIndex
{
    private ArticleIndex(
        Article article,
        IndexedSentence[] sentences,
        DenseChannel dense,
        LexicalIndex lexical,
        QuerySpeller speller,
        EntityCatalog entities,
        WordCoverage words,
        Acronyms acronyms)
    {
        Article = article;
        Sentences = sentences;
        Dense = dense;
        Lexical = lexical;
        Speller = speller;
        Entities = entities;
        Words = words;
        Acronyms = acronyms;
    }

    /// <summary>The article.</summary>
    public Article Article { get; }

    /// <summary>All sentences of all paragraphs, in reading order.</summary>
    public IReadOnlyList<IndexedSentence> Sentences { get; }

    /// <summary>The embedding model's vectors of sentences, paragraphs and clause windows.</summary>
    public DenseChannel Dense { get; }

    /// <summary>Unit vectors of the sentences (same order as <see cref="Sentences"/>).</summary>
    public IReadOnlyList<float[]> SentenceVectors => Dense.Sentences;

    /// <summary>TF-IDF over the sentences, then the paragraphs (documents 0..S-1, then S..S+P-1).</summary>
    public LexicalIndex Lexical { get; }

    /// <summary>Spelling correction against the article's words.</summary>
    public QuerySpeller Speller { get; }

    /// <summary>Actors and their aliases.</summary>
    public EntityCatalog Entities { get; }

    /// <summary>The article's content words with their meanings, for word-by-word coverage of a question.</summary>
    public WordCoverage Words { get; }

    /// <summary>Initials of the names the article spells out, for questions that shorten them.</summary>
    public Acronyms Acronyms { get; }

    // Texts embedded between progress reports and cancellation checks: a fraction of a second each.
    private const int EmbeddingChunk = 64;

    /// <summary>
    /// Indexes <paramref name="article"/>; embeds every sentence, paragraph and clause window.
    /// Cancellation is honoured between steps and every few dozen embedded texts;
    /// <paramref name="progress"/> hears how many texts are embedded as it goes.
    /// </summary>
    public static ArticleIndex Build(
        Article article, ISentenceEmbedder embedder, CancellationToken cancellationToken = default, IProgress<IndexingProgress>? progress = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var sentenceTexts = new List<string>();
        var located = new List<(int Paragraph, TextSpan Span)>();
        for (var p = 0; p < article.Paragraphs.Count; p++)
        {
            var paragraph = article.Paragraphs[p];
            var spans = paragraph.Sentences.Count > 0 ? paragraph.Sentences : [new TextSpan(0, paragraph.Text.Length)];
            foreach (var span in spans)
            {
                sentenceTexts.Add(span.Of(paragraph.Text));
                located.Add((p, span));
            }
        }

        var paragraphTexts = article.Paragraphs.Select(p => p.Text).ToArray();
        var entities = EntityCatalog.Mine(sentenceTexts);
        cancellationToken.ThrowIfCancellationRequested();
        var sentences = new IndexedSentence[located.Count];
        for (var i = 0; i < located.Count; i++)
        {
            var text = sentenceTexts[i];
            var mentions = entities.MentionsIn(text);
            var kind = article.Paragraphs[located[i].Paragraph].Kind;
            var sentence = new IndexedSentence(
                located[i].Paragraph, located[i].Span, text, mentions,
                AnswerTypes.OfSentence(text, mentions.Count > 0),
                kind is ParagraphKind.Headline or ParagraphKind.Standfirst,
                AnswerTypes.CountedWords(text),
                AnswerTypes.Numbers(text));
            // A quotation standing alone continues the previous speaker: “We are not trading pieces…”
            if (mentions.Count == 0 && i > 0 && sentence.IsBareQuotation)
            {
                sentence = sentence with { Entities = sentences[i - 1].Entities };
            }

            sentences[i] = sentence;
        }

        // What the models read for each sentence: its text, with a leading pronoun or a bare
        // quotation attributed to the person the story was just talking about ("He was convicted…"
        // is read as "Carlineo was convicted…") and every actor under their full name. Quotes are
        // still cut from the verbatim text.
        var readTexts = sentenceTexts.Select((t, i) => entities.WithFullNames(ReadAs(t, sentences, i, entities))).ToList();

        var windows = new List<string>();
        var windowSentence = new List<int>();
        for (var i = 0; i < sentenceTexts.Count; i++)
        {
            foreach (var window in SentenceWindows.Of(readTexts[i]))
            {
                windows.Add(window);
                windowSentence.Add(i);
            }
        }

        // The TF-IDF fit (single-threaded, mostly JIT on a cold start) overlaps the embeddings.
        var lexicalTask = Task.Run(() => LexicalIndex.Build([.. readTexts, .. paragraphTexts]), cancellationToken);
        var dense = Embed(embedder, readTexts, paragraphTexts, windows, windowSentence, FurnitureTexts(article), progress, cancellationToken);
        var words = WordCoverage.Build(sentenceTexts, embedder, cancellationToken);
        var lexical = lexicalTask.GetAwaiter().GetResult();
        cancellationToken.ThrowIfCancellationRequested();
        var speller = new QuerySpeller(paragraphTexts);
        return new ArticleIndex(article, sentences, dense, lexical, speller, entities, words, Acronyms.Build(sentenceTexts, speller));
    }

    private static readonly HashSet<string> SubjectPronouns = new(StringComparer.Ordinal) { "he", "she" };
    private static readonly HashSet<string> PossessivePronouns = new(StringComparer.Ordinal) { "his", "her" };

    /// <summary>The sentence as the models read it: a leading "He"/"She"/"His"/"Her" or a bare quotation attributed to the last person named just before.</summary>
    private static string ReadAs(string text, IndexedSentence[] sentences, int i, EntityCatalog entities)
    {
        var first = CaravanBot.Retrieval.Search.Words.Of(text).FirstOrDefault();
        var pronoun = first.Text is null ? null : first.Key;
        var bare = sentences[i].IsBareQuotation;
        if ((pronoun is null || (!SubjectPronouns.Contains(pronoun) && !PossessivePronouns.Contains(pronoun)) || first.Start > 1) && !bare)
        {
            return text;
        }

        if (!bare && entities.MentionsIn(text).Count > 0)
        {
            return text;
        }

        for (var j = i - 1; j >= 0 && j >= i - 2; j--)
        {
            if (sentences[j].IsHeadline || sentences[j].Entities.Count == 0)
            {
                continue;
            }

            var name = entities.Entities[sentences[j].Entities[^1]].Name;
            return bare ? name + ": " + text
                : SubjectPronouns.Contains(pronoun!) ? name + text[first.End..]
                : name + "'s" + text[first.End..];
        }

        return text;
    }

    // Enough of a dropped block to say what it is about (the longest are sign-up forms and link
    // lists); shorter blocks are labels and share bars ("Comments").
    private const int MinFurnitureWords = 3;
    private const int FurnitureWords = 40;
    private const int MostFurnitureBlocks = 40;

    /// <summary>
    /// What the page showed besides the story (captions and credits the reader saw, links, sign-up
    /// boxes): never quoted, but a question that matches it better than any story sentence is about
    /// the page, not the story ("Who took the photo?").
    /// </summary>
    private static string[] FurnitureTexts(Article article) =>
        article.Ingestion.Dropped
            .Select(b => b.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= MinFurnitureWords)
            .Select(words => string.Join(' ', words.Take(FurnitureWords)))
            .Distinct(StringComparer.Ordinal)
            .Take(MostFurnitureBlocks)
            .ToArray();

    private static DenseChannel Embed(
        ISentenceEmbedder model, List<string> sentenceTexts, string[] paragraphTexts, List<string> windows, List<int> windowSentence, string[] furniture,
        IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        // One embedding pass for all levels, each distinct text once: most news paragraphs are a
        // single sentence, so this nearly halves the work.
        var distinct = sentenceTexts.Concat(paragraphTexts).Concat(windows).Concat(furniture).Distinct(StringComparer.Ordinal).ToArray();
        var embedded = EmbedInChunks(model, distinct, progress, cancellationToken);
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Length; i++)
        {
            byText[distinct[i]] = embedded[i];
        }

        return new DenseChannel(
            model,
            sentenceTexts.Select(t => byText[t]).ToArray(),
            paragraphTexts.Select(t => byText[t]).ToArray(),
            windows.Select(t => byText[t]).ToArray(),
            windowSentence.ToArray(),
            furniture.Select(t => byText[t]).ToArray());
    }

    private static float[][] EmbedInChunks(ISentenceEmbedder embedder, string[] texts, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken)
    {
        if (progress is null && texts.Length <= EmbeddingChunk)
        {
            return embedder.Embed(texts, cancellationToken);
        }

        // Shortest first, as the embedder itself orders a batch, so each chunk pads little.
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        var vectors = new float[texts.Length][];
        var done = 0;
        progress?.Report(new IndexingProgress(0, texts.Length));
        foreach (var chunk in order.Chunk(EmbeddingChunk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var embedded = embedder.Embed(chunk.Select(i => texts[i]).ToArray(), cancellationToken);
            for (var k = 0; k < chunk.Length; k++)
            {
                vectors[chunk[k]] = embedded[k];
            }

            done += chunk.Length;
            progress?.Report(new IndexingProgress(done, texts.Length));
        }

        return vectors;
    }
}
