using CaravanBot.Retrieval.Embeddings;

namespace CaravanBot.Retrieval.Tests.Embeddings;

/// <summary>
/// The packaged MiniLM model as retrieval uses it: texts embedded in one padded batch get the vectors
/// they get alone, and the pooled vectors carry meaning.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SentenceEmbedderTests
{
    private readonly EngineFixture _engine;

    public SentenceEmbedderTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void A_text_in_a_batch_of_longer_and_shorter_texts_gets_the_vector_it_gets_alone()
    {
        string[] texts =
        [
            "What does Mexico want?",
            "Mr López Obrador has said he is willing to help enforce immigration rules at the shared border, but wants to see US remove or reduce sanctions on Cuba and Venezuela.",
            "Who?",
            "The caravan is believed the largest to set out from Central America in over a year.",
        ];

        var batched = _engine.Embedder.Embed(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var alone = _engine.Embedder.Embed([texts[i]])[0];
            Assert.Equal(1.0, VectorMath.Dot(batched[i], batched[i]), 4);
            Assert.True(VectorMath.Dot(alone, batched[i]) > 0.9999, $"text {i} embedded in the batch differs from it embedded alone");
        }
    }

    [Fact]
    public void Sentences_saying_the_same_thing_are_closer_than_sentences_about_something_else()
    {
        var vectors = _engine.Embedder.Embed(
        [
            "The council approved the new flood defences.",
            "Councillors backed plans for flood walls along the river.",
            "The striker scored twice in the second half.",
        ]);

        Assert.True(
            VectorMath.Dot(vectors[0], vectors[1]) > VectorMath.Dot(vectors[0], vectors[2]) + 0.2,
            "two sentences about the flood defences should be far closer than one about football");
    }
}
