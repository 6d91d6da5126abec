using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Answering;

[Collection(EngineCollection.Name)]
public sealed class ArticleAnswererTests
{
    private readonly EngineFixture _engine;

    public ArticleAnswererTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public async Task What_does_Mexico_want_quotes_the_sanctions_and_aid_sentence_first()
    {
        var answer = await _engine.Caravan.AskAsync("What does Mexico want?");

        Assert.True(answer.Answered);
        var first = answer.Citations[0];
        Assert.Contains("remove or reduce sanctions on Cuba and Venezuela", first.Quote, StringComparison.Ordinal);
        Assert.Contains("contribute more development aid", first.Quote, StringComparison.Ordinal);
        var paragraph = _engine.Caravan.Article.GetParagraph(first.Paragraph)!;
        Assert.Equal(first.Quote, paragraph.Text[first.Start..first.End]);
    }

    [Theory]
    [InlineData("wat does mexco want")]
    [InlineData("What does the Mexican president want?")]
    [InlineData("What does López Obrador want?")]
    [InlineData("what does Mr Lopez Obrador want")]
    public async Task The_same_actor_under_any_alias_or_typo_finds_the_sanctions_demand(string question)
    {
        var answer = await _engine.Caravan.AskAsync(question);

        Assert.True(answer.Answered);
        Assert.Contains(answer.Citations, c => c.Quote.Contains("sanctions on Cuba and Venezuela", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("What is the capital of France?")]
    [InlineData("How do I bake sourdough bread?")]
    [InlineData("Who won the football world cup in 2018?")]
    public async Task Off_topic_questions_abstain_without_citations(string question)
    {
        var answer = await _engine.Caravan.AskAsync(question);

        Assert.False(answer.Answered);
        Assert.NotNull(answer.Reason);
        Assert.Empty(answer.Citations);
        Assert.False(string.IsNullOrWhiteSpace(answer.Text));
    }

    [Theory]
    [InlineData("How can I donate to The Independent?")]
    [InlineData("Where can I join the commenting forum?")]
    public async Task Topics_found_only_in_boilerplate_abstain(string question)
    {
        var answer = await _engine.Caravan.AskAsync(question);

        Assert.False(answer.Answered);
        Assert.Empty(answer.Citations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t ")]
    [InlineData("\u200B\u200B")]
    [InlineData("@everyone")]
    public async Task Empty_questions_abstain_with_empty_question(string question)
    {
        var answer = await _engine.Caravan.AskAsync(question);

        Assert.False(answer.Answered);
        Assert.Equal(AbstentionReason.EmptyQuestion, answer.Reason);
        Assert.Equal("empty_question", answer.Reason!.Value.ToCode());
    }

    [Fact]
    public async Task Hostile_input_does_not_crash_and_every_quote_is_verbatim()
    {
        string[] questions =
        [
            new string('x', 10_000),
            string.Concat(Enumerable.Repeat("What does Mexico want? ", 500)),
            "What\u0000 does\u0007 Mexico\u001B want?",
            "Wh\u200Bat does Me\u200Dxico want?",
            "<@&123456> @here what does Mexico want?",
        ];

        foreach (var question in questions)
        {
            var answer = await _engine.Caravan.AskAsync(question);
            Assert.InRange(answer.Citations.Count, 0, 3);
            Assert.All(answer.Citations, c => Assert.True(QuoteVerifier.IsVerbatim(_engine.Caravan.Article, c)));
        }
    }

    [Fact]
    public async Task Answers_have_one_to_three_quotes_from_story_paragraphs()
    {
        var answer = await _engine.Caravan.AskAsync("Who is meeting the Mexican president, and where?");

        Assert.True(answer.Answered);
        Assert.InRange(answer.Citations.Count, 1, 3);
        Assert.All(answer.Citations, c => Assert.False(BoilerplateDetector.IsBoilerplate(c.Quote)));
    }

    [Fact]
    public async Task Asking_many_gives_the_same_answers_as_asking_one_by_one()
    {
        string[] questions = ["What does Mexico want?", "", "How many migrants are in the caravan?", "What is the capital of France?"];

        var batch = await _engine.Caravan.AskManyAsync(questions);

        Assert.Equal(questions.Length, batch.Count);
        for (var i = 0; i < questions.Length; i++)
        {
            var single = await _engine.Caravan.AskAsync(questions[i]);
            Assert.Equal(single.Answered, batch[i].Answered);
            Assert.Equal(single.Reason, batch[i].Reason);
            Assert.Equal(single.Citations, batch[i].Citations);
            // The pairs of question and best sentence are embedded in one batch too: same answerability.
            Assert.Equal(single.Scores.Answerability ?? -1, batch[i].Scores.Answerability ?? -1, 4);
        }
    }

    [Fact]
    public void A_quote_that_is_not_verbatim_is_reported_as_a_bug()
    {
        var article = _engine.Caravan.Article;
        var paragraph = article.Paragraphs[^1];
        var forged = new Citation(paragraph.Number, "The caravan is one million people strong.", 0, 41);

        Assert.False(QuoteVerifier.IsVerbatim(article, forged));
        Assert.Throws<QuoteVerificationException>(() => QuoteVerifier.EnsureVerbatim(article, [forged]));
    }
}

[Collection(EngineCollection.Name)]
public sealed class ParaphraseAnswerTests
{
    private readonly EngineFixture _engine;

    public ParaphraseAnswerTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Theory]
    [InlineData("What does Mexico want?")]
    [InlineData("What are López Obrador's demands?")]
    [InlineData("what's the Mexican president asking the US for")]
    [InlineData("What does AMLO want from Washington?")]
    public async Task The_mission_question_survives_paraphrase_nickname_and_chat(string question)
    {
        var answer = await _engine.Caravan.AskAsync(question);

        Assert.True(answer.Answered, $"{question}: abstained ({answer.Reason})");
        Assert.Contains(answer.Citations, c => c.Quote.Contains("sanctions on Cuba and Venezuela", StringComparison.Ordinal)
            && c.Quote.Contains("development aid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_question_asking_two_things_quotes_a_sentence_for_each()
    {
        var answer = await _engine.Caravan.AskAsync("How big is the caravan and where are the migrants from?");

        Assert.True(answer.Answered);
        var quoted = string.Join(' ', answer.Citations.Select(c => c.Quote));
        Assert.Contains("8,000-strong", quoted, StringComparison.Ordinal);
        Assert.Contains("Venezuela, Cuba and Central America", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quotes_from_a_run_of_consecutive_paragraphs_read_in_the_article_s_order()
    {
        // The ranker rates ¶11 (Mexico pushing for US spending) highest, then ¶9 and ¶10: one passage.
        var answer = await _engine.Caravan.AskAsync("what's the Mexican president asking the US for");

        Assert.True(answer.Answered);
        Assert.Equal([9, 10, 11], answer.Citations.Select(c => c.Paragraph));
    }
}
