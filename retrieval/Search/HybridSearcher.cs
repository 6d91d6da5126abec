using CaravanBot.Retrieval.Embeddings;

namespace CaravanBot.Retrieval.Search;

/// <summary>A sentence with its scores for one question.</summary>
/// <param name="Sentence">Index into <see cref="ArticleIndex.Sentences"/>.</param>
/// <param name="Fused">The weighted sum that ranks sentences.</param>
/// <param name="Dense">MiniLM cosine of the question to the sentence.</param>
/// <param name="Lexical">TF-IDF cosine of the question to the sentence.</param>
/// <param name="Paragraph">Dense and lexical similarity of the question to the sentence's paragraph, averaged.</param>
/// <param name="Entity">Share of the question's actors that the sentence mentions (0..1).</param>
public readonly record struct SentenceScore(int Sentence, double Fused, double Dense, double Lexical, double Paragraph, double Entity);

/// <summary>The ranked sentences for one question, plus what the answerer needs to decide to abstain.</summary>
/// <param name="Query">The cleaned, spell-corrected question that was searched.</param>
/// <param name="Ranked">Sentences, best first.</param>
/// <param name="BestParagraphDense">The highest dense similarity of the question to any paragraph.</param>
/// <param name="BestParagraphLexical">The highest lexical similarity of the question to any paragraph.</param>
/// <param name="Wants">The kind of fact the question asks for.</param>
/// <param name="UnknownShare">Share of the question's content words the article never uses.</param>
public sealed record SearchResult(string Query, IReadOnlyList<SentenceScore> Ranked, double BestParagraphDense, double BestParagraphLexical, AnswerType Wants = AnswerType.None, double UnknownShare = 0)
{
    /// <summary>The best sentence's score, or null when nothing was searched.</summary>
    public SentenceScore? Best => Ranked.Count > 0 ? Ranked[0] : null;
}

/// <summary>
/// Hybrid retrieval: fuses dense similarity (sentence and paragraph), TF-IDF similarity
/// (sentence and paragraph) and shared actors into one score per sentence.
/// </summary>
public sealed partial class HybridSearcher
{
    private readonly ArticleIndex _index;
    private readonly ISentenceEmbedder _embedder;
    private readonly RetrievalOptions _options;

    /// <summary>Creates a searcher over one index.</summary>
    public HybridSearcher(ArticleIndex index, ISentenceEmbedder embedder, RetrievalOptions options)
    {
        _index = index;
        _embedder = embedder;
        _options = options;
    }

    /// <summary>What the dense model is asked to embed for a cleaned question (one or more variants).</summary>
    public PreparedQuery Prepare(string cleanedQuestion)
    {
        var corrected = _index.Speller.Correct(QuestionText.Focus(cleanedQuestion));
        var entities = _index.Entities.MentionsIn(corrected);
        var variants = new List<string> { corrected };
        // Name the actor the question refers to by an alias, so the dense model sees the
        // words the article uses ("Mexico" → "Andrés Manuel López Obrador").
        foreach (var e in entities)
        {
            var name = _index.Entities.Entities[e].Name;
            if (!Words.FoldedPhrase(corrected).Contains(Words.FoldedPhrase(name), StringComparison.Ordinal))
            {
                variants.Add(corrected + " " + name);
            }
        }

        var defines = Definitional().IsMatch(corrected) ? entities : [];
        return new PreparedQuery(corrected, WithoutActors(corrected, entities), entities, variants, AnswerTypes.OfQuestion(corrected), defines);
    }

    /// <summary>Searches with query vectors already embedded (one per variant, same order).</summary>
    public SearchResult Search(PreparedQuery query, IReadOnlyList<float[]> variantVectors)
    {
        var sentences = _index.Sentences;
        var paragraphCount = _index.ParagraphVectors.Count;
        var lexical = _index.Lexical.Score(query.LexicalText);

        var paragraphDense = new double[paragraphCount];
        var paragraphScore = new double[paragraphCount];
        double bestParagraphDense = 0, bestParagraphLexical = 0;
        for (var p = 0; p < paragraphCount; p++)
        {
            paragraphDense[p] = MaxCosine(variantVectors, _index.ParagraphVectors[p]);
            var paragraphLexical = lexical[sentences.Count + p];
            paragraphScore[p] = (paragraphDense[p] + paragraphLexical) / 2;
            bestParagraphDense = Math.Max(bestParagraphDense, paragraphDense[p]);
            bestParagraphLexical = Math.Max(bestParagraphLexical, paragraphLexical);
        }

        var ranked = new SentenceScore[sentences.Count];
        for (var s = 0; s < sentences.Count; s++)
        {
            var dense = MaxCosine(variantVectors, _index.SentenceVectors[s]);
            var entity = query.Entities.Count == 0 ? 0
                : query.Entities.Count(e => sentences[s].Entities.Contains(e)) / (double)query.Entities.Count;
            var p = sentences[s].Paragraph;
            var fused = (_options.DenseSentenceWeight * dense)
                + (_options.LexicalWeight * lexical[s])
                + (_options.DenseParagraphWeight * paragraphScore[p])
                + (_options.EntityWeight * entity)
                + (query.Defines.Any(e => Introduces(sentences[s], e)) ? _options.EntityWeight : 0)
                + (query.Wants != AnswerType.None && (sentences[s].Supplies & query.Wants) != 0 ? _options.AnswerTypeWeight : 0)
                - (sentences[s].IsHeadline ? _options.HeadlinePenalty : 0);
            ranked[s] = new SentenceScore(s, fused, dense, lexical[s], paragraphScore[p], entity);
        }

        Array.Sort(ranked, (a, b) => b.Fused.CompareTo(a.Fused));
        return new SearchResult(query.Text, ranked, bestParagraphDense, bestParagraphLexical, query.Wants, _index.Lexical.UnknownShare(query.Text));
    }

    /// <summary>
    /// The question without the words that name its actors: the entity channel already rewards
    /// sentences about them (under any alias), so the lexical channel should weigh what is asked
    /// about them ("want"), not count the actor a second time. Falls back to the whole question
    /// when nothing else is left ("Who is López Obrador?").
    /// </summary>
    private string WithoutActors(string question, IReadOnlyList<int> entities)
    {
        if (entities.Count == 0)
        {
            return question;
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
        return Words.Of(rest).Any(w => !Lexical.FunctionWords.Contains(w.Key)) ? rest : question;
    }

    /// <summary>True when the sentence names the actor in full, as an article does when it introduces someone.</summary>
    private bool Introduces(IndexedSentence sentence, int entity) =>
        sentence.Entities.Contains(entity)
        && Words.FoldedPhrase(sentence.Text).Contains(Words.FoldedPhrase(_index.Entities.Entities[entity].Name), StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*(who|what)(\s+(is|are|was|were)|'s|’s)\s", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex Definitional();

    private static double MaxCosine(IReadOnlyList<float[]> variants, float[] target)
    {
        var best = double.MinValue;
        foreach (var v in variants)
        {
            best = Math.Max(best, VectorMath.Dot(v, target));
        }

        return best;
    }
}

/// <summary>A cleaned question ready to embed and search.</summary>
/// <param name="Text">The spell-corrected question.</param>
/// <param name="LexicalText">What the lexical channel matches: the question less the words naming its actors.</param>
/// <param name="Entities">The actors it names.</param>
/// <param name="Variants">Texts to embed; the dense score of a sentence is its best match among them.</param>
/// <param name="Wants">The kind of fact the question asks for.</param>
/// <param name="Defines">Actors a "who is…?" question asks to have introduced.</param>
public sealed record PreparedQuery(string Text, string LexicalText, IReadOnlyList<int> Entities, IReadOnlyList<string> Variants, AnswerType Wants, IReadOnlyList<int> Defines);
