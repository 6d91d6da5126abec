using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Ranking;

/// <summary>
/// The question read together with the sentence the ranker put first. The embedding model reads
/// "question + sentence" as one text, so its attention relates the question's words to the
/// sentence's, which two separate embeddings never do: how far that pair's meaning sits from the
/// question, from the sentence and from the runner-up tells a sentence that answers from one that is
/// only about the same thing. A cheap stand-in for a cross-encoder, which no package we can use
/// ships: one more embedding of one text per answer.
/// </summary>
/// <param name="QuestionToPair">Cosine of the question to the question read with the best sentence.</param>
/// <param name="SentenceToPair">Cosine of the best sentence to that pair.</param>
/// <param name="SecondToPair">Cosine of the second-ranked sentence to that pair (the best again when there is no second).</param>
public readonly record struct PairSignals(double QuestionToPair, double SentenceToPair, double SecondToPair)
{
    /// <summary>Reads the question of <paramref name="result"/> with the sentence <paramref name="probabilities"/> rank first.</summary>
    public static PairSignals Measure(ArticleIndex index, SearchResult result, IReadOnlyList<double> probabilities, CancellationToken cancellationToken = default)
    {
        var reading = Read(index, result, probabilities);
        return reading.Measure(index.Dense.Model.Embed([reading.Text], cancellationToken)[0]);
    }

    /// <summary>What to embed for <paramref name="result"/> (so many questions' pairs can share one embedding batch), and how to turn its vector into signals.</summary>
    public static PairReading Read(ArticleIndex index, SearchResult result, IReadOnlyList<double> probabilities)
    {
        var (best, second) = TopTwo(probabilities);
        return new PairReading(index, result, best, second);
    }

    // The first of equal probabilities wins, as in RankingFeatures.ForQuestion.
    private static (int Best, int Second) TopTwo(IReadOnlyList<double> probabilities)
    {
        int best = 0, second = -1;
        for (var i = 1; i < probabilities.Count; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                second = best;
                best = i;
            }
            else if (second < 0 || probabilities[i] > probabilities[second])
            {
                second = i;
            }
        }

        return (best, second < 0 ? best : second);
    }
}

/// <summary>A question and its best sentence to be read as one text (<see cref="PairSignals.Read"/>).</summary>
/// <param name="Index">The article's index.</param>
/// <param name="Result">The search for the question.</param>
/// <param name="Best">The sentence ranked first.</param>
/// <param name="Second">The sentence ranked second (<paramref name="Best"/> when there is none).</param>
public sealed record PairReading(ArticleIndex Index, SearchResult Result, int Best, int Second)
{
    /// <summary>The text to embed: the question, then the best sentence.</summary>
    public string Text => Result.Query + " " + Index.Sentences[Best].Text;

    /// <summary>The signals, given <see cref="Text"/>'s embedding.</summary>
    public PairSignals Measure(float[] pair) => new(
        VectorMath.Dot(Result.QueryVector, pair),
        VectorMath.Dot(Index.Dense.Sentences[Best], pair),
        VectorMath.Dot(Index.Dense.Sentences[Second], pair));
}
