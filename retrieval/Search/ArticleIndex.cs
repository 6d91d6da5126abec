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
public sealed record IndexedSentence(int Paragraph, TextSpan Span, string Text, IReadOnlyList<int> Entities, AnswerType Supplies, bool IsHeadline);

/// <summary>How far indexing an article has got: texts embedded of all to embed.</summary>
/// <param name="Embedded">Texts (sentences and paragraphs) embedded so far.</param>
/// <param name="Total">Texts to embed in all.</param>
public readonly record struct IndexingProgress(int Embedded, int Total);

/// <summary>
/// Everything retrieval needs about one article, computed once: sentence and paragraph
/// embeddings, the TF-IDF index over both, the article's vocabulary for spelling, and its actors.
/// Immutable after construction, so it is safe to share between threads.
/// </summary>
public sealed class ArticleIndex
{
    private ArticleIndex(
        Article article,
        IndexedSentence[] sentences,
        float[][] sentenceVectors,
        float[][] paragraphVectors,
        LexicalIndex lexical,
        QuerySpeller speller,
        EntityCatalog entities)
    {
        Article = article;
        Sentences = sentences;
        SentenceVectors = sentenceVectors;
        ParagraphVectors = paragraphVectors;
        Lexical = lexical;
        Speller = speller;
        Entities = entities;
    }

    /// <summary>The article.</summary>
    public Article Article { get; }

    /// <summary>All sentences of all paragraphs, in reading order.</summary>
    public IReadOnlyList<IndexedSentence> Sentences { get; }

    /// <summary>Unit vectors of the sentences (same order).</summary>
    public IReadOnlyList<float[]> SentenceVectors { get; }

    /// <summary>Unit vectors of the paragraphs (paragraph order).</summary>
    public IReadOnlyList<float[]> ParagraphVectors { get; }

    /// <summary>TF-IDF over the sentences, then the paragraphs (documents 0..S-1, then S..S+P-1).</summary>
    public LexicalIndex Lexical { get; }

    /// <summary>Spelling correction against the article's words.</summary>
    public QuerySpeller Speller { get; }

    /// <summary>Actors and their aliases.</summary>
    public EntityCatalog Entities { get; }

    private static bool IsBareQuotation(string sentence)
    {
        var t = sentence.Trim();
        return t.Length > 2 && t[0] is '“' or '"' && (t[^1] is '”' or '"' || t.EndsWith("”.", StringComparison.Ordinal));
    }

    // Texts embedded between progress reports and cancellation checks: a fraction of a second each.
    private const int EmbeddingChunk = 64;

    /// <summary>
    /// Indexes <paramref name="article"/>; embeds every sentence and paragraph in one pass. Cancellation is
    /// honoured between steps and every few dozen embedded texts; <paramref name="progress"/> hears how
    /// many texts are embedded as it goes.
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
            // A quotation standing alone continues the previous speaker: “We are not trading pieces…”
            if (mentions.Count == 0 && i > 0 && IsBareQuotation(text))
            {
                mentions = sentences[i - 1].Entities;
            }

            var kind = article.Paragraphs[located[i].Paragraph].Kind;
            sentences[i] = new IndexedSentence(
                located[i].Paragraph, located[i].Span, text, mentions,
                AnswerTypes.OfSentence(text, mentions.Count > 0),
                kind is ParagraphKind.Headline or ParagraphKind.Standfirst);
        }

        // The TF-IDF fit (single-threaded, mostly JIT on a cold start) overlaps the embeddings.
        var lexicalTask = Task.Run(() => LexicalIndex.Build([.. sentenceTexts, .. paragraphTexts]), cancellationToken);

        // One embedding call for both levels, each distinct text once: most news paragraphs
        // are a single sentence, so this nearly halves the work.
        var distinct = sentenceTexts.Concat(paragraphTexts).Distinct(StringComparer.Ordinal).ToArray();
        var embedded = EmbedInChunks(embedder, distinct, progress, cancellationToken);
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Length; i++)
        {
            byText[distinct[i]] = embedded[i];
        }

        var sentenceVectors = sentenceTexts.Select(t => byText[t]).ToArray();
        var paragraphVectors = paragraphTexts.Select(t => byText[t]).ToArray();
        var lexical = lexicalTask.GetAwaiter().GetResult();
        cancellationToken.ThrowIfCancellationRequested();
        return new ArticleIndex(
            article,
            sentences,
            sentenceVectors,
            paragraphVectors,
            lexical,
            new QuerySpeller(paragraphTexts),
            entities);
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
