using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Ranking;

namespace CaravanBot.Retrieval.Tests.Ranking;

/// <summary>
/// The answerability model reads the question together with the sentence the ranker put first
/// ("question + sentence" embedded as one text), compared with the question, that sentence and the
/// runner-up.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PairSignalsTests
{
    private const string Story =
        "Council approves flood defences\n\n"
        + "The council has approved a £48 million programme of flood defences along the river. "
        + "Work on the first walls starts in May and should take two years. "
        + "The mayor said residents had waited long enough.";

    private readonly EngineFixture _engine;

    public PairSignalsTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void The_question_is_read_with_the_sentence_ranked_first_and_compared_with_the_runner_up()
    {
        var answerer = _engine.For(ArticleReader.ReadText(Story, "floods"));
        var index = answerer.Index;
        var result = answerer.Search("When does the work start?");
        var works = index.Sentences.Select((s, i) => (s, i)).Single(x => x.s.Text.StartsWith("Work on the first walls", StringComparison.Ordinal)).i;
        var mayor = index.Sentences.Select((s, i) => (s, i)).Single(x => x.s.Text.StartsWith("The mayor", StringComparison.Ordinal)).i;
        var probabilities = new double[index.Sentences.Count];
        probabilities[works] = 0.9;
        probabilities[mayor] = 0.4;

        var pair = PairSignals.Measure(index, result, probabilities);

        var read = _engine.Embedder.Embed(["When does the work start? " + index.Sentences[works].Text])[0];
        Assert.Equal(VectorMath.Dot(result.QueryVector, read), pair.QuestionToPair, 5);
        Assert.Equal(VectorMath.Dot(index.Dense.Sentences[works], read), pair.SentenceToPair, 5);
        Assert.Equal(VectorMath.Dot(index.Dense.Sentences[mayor], read), pair.SecondToPair, 5);
        Assert.True(pair.SentenceToPair > pair.SecondToPair, "the pair stays closer to the sentence it was read with");
    }

    [Fact]
    public void An_article_of_one_sentence_compares_the_pair_with_that_sentence_twice()
    {
        var answerer = _engine.For(ArticleReader.ReadText("The council approved a £48 million flood scheme.", "one"));
        var result = answerer.Search("How much will the scheme cost?");

        var pair = PairSignals.Measure(answerer.Index, result, [1.0]);

        Assert.Equal(pair.SentenceToPair, pair.SecondToPair);
        Assert.InRange(pair.QuestionToPair, 0.3, 1.0);
    }
}
