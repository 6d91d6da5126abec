using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Answering;

/// <summary>
/// Picks the 1–3 sentences an answer quotes from the ranked sentences: the best one; the best one
/// for each part of a question that asks several things; further sentences the ranker rates
/// nearly as high; and for "who said…?" the sentence naming the speaker of a bare quotation.
/// Body sentences are preferred: the headline, standfirst, subheads and captions are quoted only
/// when no body sentence is rated nearly as high.
/// </summary>
internal static class QuoteSelection
{
    public static IReadOnlyList<SentenceScore> Choose(ArticleIndex index, SearchResult result, double supportingRatio, int maxQuotes, double redundancy)
    {
        var ranked = PreferBody(index, result.Ranked, supportingRatio);
        var best = ranked[0];
        var chosen = new List<SentenceScore> { best };

        // A question that asks two things gets the best sentence for each part.
        foreach (var part in result.Parts)
        {
            var partBest = PreferBody(index, part.Ranked, supportingRatio)[0];
            if (chosen.Count < maxQuotes && !chosen.Any(c => c.Sentence == partBest.Sentence || Redundant(index, c.Sentence, partBest.Sentence, redundancy)))
            {
                chosen.Add(partBest);
            }
        }

        foreach (var candidate in ranked.Skip(1))
        {
            if (chosen.Count >= maxQuotes || candidate.Fused < best.Fused * supportingRatio)
            {
                break;
            }

            if (IsBody(index, best.Sentence) && !IsBody(index, candidate.Sentence))
            {
                continue;
            }

            if (!chosen.Any(c => c.Sentence == candidate.Sentence || Redundant(index, c.Sentence, candidate.Sentence, redundancy)))
            {
                chosen.Add(candidate);
            }
        }

        AddSpeaker(index, chosen, result, maxQuotes);
        AddWhatFollows(index, chosen, result, maxQuotes);

        // Quotes from a run of consecutive paragraphs (¶9, ¶10, ¶11) read as a passage in the
        // article's order; quotes from paragraphs apart stay best first.
        var paragraphs = chosen.Select(c => index.Sentences[c.Sentence].Paragraph).Distinct().ToArray();
        return paragraphs.Max() - paragraphs.Min() < paragraphs.Length ? chosen.OrderBy(c => c.Sentence).ToArray() : chosen;
    }

    /// <summary>
    /// The ranking with body sentences first when the best is not a body sentence but a body
    /// sentence is rated nearly as high.
    /// </summary>
    private static IReadOnlyList<SentenceScore> PreferBody(ArticleIndex index, IReadOnlyList<SentenceScore> ranked, double supportingRatio)
    {
        if (IsBody(index, ranked[0].Sentence))
        {
            return ranked;
        }

        var body = ranked.FirstOrDefault(r => IsBody(index, r.Sentence));
        if (body == default || body.Fused < ranked[0].Fused * supportingRatio)
        {
            return ranked;
        }

        return [body, .. ranked.Where(r => r.Sentence != body.Sentence)];
    }

    /// <summary>
    /// A subhead ("Successful treatment") or a question the article asks itself (an interviewer's
    /// "Q: Favorite apps?", a columnist's "So what went wrong?") leads in to what follows: when the
    /// best quote is one, the sentence after it is quoted too, since that is what answers.
    /// </summary>
    private static void AddWhatFollows(ArticleIndex index, List<SentenceScore> chosen, SearchResult result, int maxQuotes)
    {
        var lead = chosen[0].Sentence;
        var next = lead + 1;
        if (!LeadsIn(index, lead) || next >= index.Sentences.Count || !IsBody(index, next) || chosen.Any(c => c.Sentence == next))
        {
            return;
        }

        if (chosen.Count >= maxQuotes)
        {
            chosen.RemoveAt(chosen.Count - 1);
        }

        chosen.Insert(1, result.Ranked.First(r => r.Sentence == next));
    }

    private static bool LeadsIn(ArticleIndex index, int sentence)
    {
        var indexed = index.Sentences[sentence];
        var paragraph = index.Article.Paragraphs[indexed.Paragraph];
        if (paragraph.Kind == ParagraphKind.Subhead)
        {
            return true;
        }

        // Only a question that ends its paragraph: one inside a quotation or mid-paragraph is someone speaking.
        var endsParagraph = paragraph.Sentences.Count == 0 || paragraph.Sentences[^1] == indexed.Span;
        return paragraph.Kind == ParagraphKind.Body && endsParagraph && indexed.Text.TrimEnd().EndsWith('?');
    }

    private static bool IsBody(ArticleIndex index, int sentence) =>
        index.Article.Paragraphs[index.Sentences[sentence].Paragraph].Kind == ParagraphKind.Body;

    private static bool Redundant(ArticleIndex index, int a, int b, double redundancy) =>
        VectorMath.Dot(index.SentenceVectors[a], index.SentenceVectors[b]) >= redundancy;

    /// <summary>
    /// "Who said…?" often lands on a quotation attributed only by "he said" or by the paragraph
    /// before: then the nearest earlier sentence that names someone is quoted too, so the answer
    /// contains the speaker the question asks for.
    /// </summary>
    private static void AddSpeaker(ArticleIndex index, List<SentenceScore> chosen, SearchResult result, int maxQuotes)
    {
        var sentences = index.Sentences;
        var best = sentences[chosen[0].Sentence];
        if ((result.Question.Wants & AnswerType.Agent) == 0 || (best.Supplies & AnswerType.Agent) != 0)
        {
            return;
        }

        for (var s = chosen[0].Sentence - 1; s >= 0 && s >= chosen[0].Sentence - 3; s--)
        {
            if (sentences[s].Paragraph < best.Paragraph - 1 || sentences[s].IsHeadline)
            {
                break;
            }

            if ((sentences[s].Supplies & AnswerType.Agent) != 0)
            {
                if (chosen.Any(c => c.Sentence == s))
                {
                    return;
                }

                if (chosen.Count >= maxQuotes)
                {
                    chosen.RemoveAt(chosen.Count - 1);
                }

                chosen.Insert(1, result.Ranked.First(r => r.Sentence == s));
                return;
            }
        }
    }
}
