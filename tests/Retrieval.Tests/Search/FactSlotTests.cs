using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

/// <summary>
/// A sentence often states several facts; the words around a figure or a date tell what that
/// figure is about. "How many people died in the floods?" is not answered by the number of people
/// evacuated, although the sentence names the floods, people and a number.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class FactSlotTests
{
    private const string Floods =
        "Lowmere counts the cost of the January floods\n\n" +
        "The floods on 14 January forced the evacuation of 1,150 people from the Riverside and Netherfield areas of the town, where most houses stood in water for three days.\n\n" +
        "Two people died in the floods, both in cars swept off the Calder bridge on the first night, the county coroner said on Friday.\n\n" +
        "The council has approved a £48 million programme of flood defences along the river.";

    private readonly EngineFixture _engine;

    public FactSlotTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void A_sentence_states_a_count_and_a_date_at_their_own_places()
    {
        const string sentence = "The floods on 14 January forced the evacuation of 1,150 people from the Riverside area.";

        var slots = AnswerTypes.Slots(sentence);

        var count = sentence.IndexOf("1,150", StringComparison.Ordinal);
        var date = sentence.IndexOf("January", StringComparison.Ordinal);
        Assert.Contains(slots, s => s.Type == AnswerType.Quantity && s.Start <= count && count < s.End);
        Assert.Contains(slots, s => s.Type == AnswerType.Time && s.Start <= date && date < s.End);
        Assert.DoesNotContain(slots, s => s.Type == AnswerType.Money);
    }

    [Fact]
    public void The_words_around_a_count_say_what_it_counts()
    {
        var answerer = _engine.For(ArticleReader.ReadText(Floods, "floods"));
        var evacuation = SentenceIndex(answerer, "forced the evacuation");
        var deaths = SentenceIndex(answerer, "Two people died");

        var evacuated = answerer.Search("How many people were evacuated in the floods?").Signals;
        var died = answerer.Search("How many people died in the floods?").Signals;

        // The sentence about the evacuation names the floods and states a count: as a whole it
        // covers "died" no better than "evacuated" does…
        Assert.True(died[evacuation].SlotWords < evacuated[evacuation].SlotWords, $"{died[evacuation].SlotWords} vs {evacuated[evacuation].SlotWords}");
        // …but around its count it speaks of an evacuation, not of deaths; the deaths sentence does.
        Assert.True(died[deaths].SlotWords > died[evacuation].SlotWords, $"{died[deaths].SlotWords} vs {died[evacuation].SlotWords}");
    }

    [Fact]
    public void A_sentence_stating_no_fact_of_the_kind_asked_has_nothing_around_it()
    {
        var answerer = _engine.For(ArticleReader.ReadText(Floods, "floods"));
        var signals = answerer.Search("How much will the flood defences cost?").Signals;

        Assert.Equal(0, signals[SentenceIndex(answerer, "counts the cost")].SlotWords);
        Assert.Equal(0, signals[SentenceIndex(answerer, "forced the evacuation")].SlotWords);
        Assert.True(signals[SentenceIndex(answerer, "£48 million")].SlotWords > 0);
    }

    [Fact]
    public void A_question_asking_no_placed_kind_of_fact_reads_the_whole_sentence()
    {
        var answerer = _engine.For(ArticleReader.ReadText(Floods, "floods"));

        var result = answerer.Search("What did the council approve?");

        Assert.All(result.Signals, s => Assert.Equal(s.RelatedWords, s.SlotWords));
    }

    [Fact]
    public void A_figure_stated_twice_is_read_with_the_words_around_both()
    {
        var answerer = _engine.For(ArticleReader.ReadText(
            "8,000-strong migrant caravan heads for US border\n\n" +
            "An estimated 8,000-strong group of migrants crossed the Guatemalan border just before Christmas.\n\n" +
            "A record 10,000 migrants were arrested this month alone at the southwestern border.",
            "caravan"));

        var signals = answerer.Search("How many migrants are in the caravan?").Signals;

        // Neither body sentence says "caravan"; the headline says it next to the same 8,000.
        Assert.True(
            signals[SentenceIndex(answerer, "8,000-strong group")].SlotWords > signals[SentenceIndex(answerer, "10,000")].SlotWords,
            $"{signals[SentenceIndex(answerer, "8,000-strong group")].SlotWords} vs {signals[SentenceIndex(answerer, "10,000")].SlotWords}");
    }

    [Theory]
    [InlineData("In 2019 they scored 35 goals before 1,150 fans.", "1150")]
    [InlineData("An estimated 8,000-strong group", "8000")]
    [InlineData("It cost $4.25 million.", "4.25")]
    public void Only_figures_that_name_one_fact_wherever_they_appear_echo(string sentence, string figure) =>
        Assert.Equal([figure], AnswerTypes.DistinctiveFigures(sentence, 0, sentence.Length));

    private static int SentenceIndex(ArticleAnswerer answerer, string text)
    {
        var sentences = answerer.Index.Sentences;
        for (var i = 0; i < sentences.Count; i++)
        {
            if (sentences[i].Text.Contains(text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no sentence contains \"{text}\"");
    }
}
