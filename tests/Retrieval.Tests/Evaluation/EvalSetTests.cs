using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Evaluation;

namespace CaravanBot.Retrieval.Tests.Evaluation;

public sealed class EvalSetTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caravanbot-evalset-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Parses_answer_and_abstention_cases_in_file_order()
    {
        const string Text = """
            {"id": "caravan-001", "article": "default", "question": "What does Mexico want?", "expect": ["sanctions on Cuba and Venezuela", "development aid"], "category": "what"}
            {"id": "caravan-040", "article": "default", "question": "What is the capital of France?", "expect": "abstain", "reason": "off_topic", "category": "off_topic"}
            """;

        var set = EvalSet.Parse(Text, "questions.jsonl", _directory);

        Assert.Equal(2, set.Cases.Count);
        var first = set.Cases[0];
        Assert.Equal("caravan-001", first.Id);
        Assert.Equal("default", first.Article);
        Assert.Equal("What does Mexico want?", first.Question);
        Assert.Equal(["sanctions on Cuba and Venezuela", "development aid"], first.ExpectedPhrases);
        Assert.False(first.ExpectsAbstention);
        Assert.Null(first.ExpectedReason);
        Assert.Equal("what", first.Category);
        Assert.Equal(1, first.LineNumber);

        var second = set.Cases[1];
        Assert.True(second.ExpectsAbstention);
        Assert.Equal(AbstentionReason.OffTopic, second.ExpectedReason);
        Assert.Equal(2, second.LineNumber);
    }

    [Fact]
    public void Blank_lines_crlf_a_byte_order_mark_and_unknown_keys_are_accepted_and_article_defaults()
    {
        var text = "\uFEFF{\"id\": \"a\", \"question\": \"\", \"expect\": \"abstain\", \"reason\": \"empty_question\", \"note\": \"labeller's remark\"}\r\n\r\n"
            + "{\"id\": \"b\", \"question\": \"Who?\", \"expect\": [\"García\"]}\r\n";

        var set = EvalSet.Parse(text, "q.jsonl", _directory);

        Assert.Equal(["a", "b"], set.Cases.Select(c => c.Id));
        Assert.All(set.Cases, c => Assert.Equal(EvalSet.DefaultArticle, c.Article));
        Assert.Equal(string.Empty, set.Cases[0].Question);
        Assert.Equal(AbstentionReason.EmptyQuestion, set.Cases[0].ExpectedReason);
        Assert.Equal(3, set.Cases[1].LineNumber);
    }

    [Theory]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": [\"a\"]", "not a JSON object")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"question\": \"q\", \"expect\": [\"a\"]}", "\"id\" is missing")]
    [InlineData("{\"id\": \" \", \"question\": \"q\", \"expect\": [\"a\"]}", "\"id\" is empty")]
    [InlineData("{\"id\": 7, \"question\": \"q\", \"expect\": [\"a\"]}", "\"id\" must be a string")]
    [InlineData("{\"id\": \"x\", \"expect\": [\"a\"]}", "\"question\" is missing")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\"}", "\"expect\" is missing")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": \"maybe\"}", "\"expect\" must be")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": []}", "\"expect\" must be")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": [\"\"]}", "every phrase")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": [3]}", "every phrase")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": \"abstain\", \"reason\": \"bored\"}", "not one of empty_question, off_topic, not_in_article")]
    [InlineData("{\"id\": \"x\", \"question\": \"q\", \"expect\": [\"a\"], \"reason\": \"off_topic\"}", "only for cases that expect \"abstain\"")]
    [InlineData("{\"id\": \"x\", \"article\": \"../secrets\", \"question\": \"q\", \"expect\": [\"a\"]}", "plain file name")]
    [InlineData("{\"id\": \"x\", \"article\": \"sub/dir\", \"question\": \"q\", \"expect\": [\"a\"]}", "plain file name")]
    public void A_bad_line_is_reported_with_its_line_number(string badLine, string expectedMessage)
    {
        var text = "{\"id\": \"ok-1\", \"question\": \"q\", \"expect\": [\"a\"]}\n\n" + badLine + "\n";

        var error = Assert.Throws<EvalSetException>(() => EvalSet.Parse(text, "questions.jsonl", _directory));

        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith("questions.jsonl line 3: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_repeated_id_names_both_lines()
    {
        const string Text = """
            {"id": "dup", "question": "q", "expect": ["a"]}
            {"id": "dup", "question": "q2", "expect": "abstain"}
            """;

        var error = Assert.Throws<EvalSetException>(() => EvalSet.Parse(Text, "q.jsonl", _directory));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("already used on line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_file_and_resolves_named_articles_next_to_it()
    {
        var path = Path.Combine(_directory, "questions.jsonl");
        File.WriteAllText(path, "{\"id\": \"a\", \"article\": \"storm\", \"question\": \"q\", \"expect\": [\"x\"]}\n");
        Directory.CreateDirectory(Path.Combine(_directory, "articles"));
        File.WriteAllText(Path.Combine(_directory, "articles", "storm.html"), "<p>x</p>");

        var set = EvalSet.Load(path);

        Assert.Equal(path, set.Source);
        Assert.Equal("storm", set.Cases.Single().Article);
        Assert.Equal(Path.Combine(_directory, "articles", "storm.html"), set.FindArticleFile("storm"));
        Assert.Null(set.FindArticleFile("flood"));

        File.WriteAllText(Path.Combine(_directory, "articles", "storm.txt"), "x");
        Assert.Equal(Path.Combine(_directory, "articles", "storm.txt"), set.FindArticleFile("storm"));
    }

    [Fact]
    public void Load_of_a_missing_file_names_the_file()
    {
        var path = Path.Combine(_directory, "nope.jsonl");

        var error = Assert.Throws<EvalSetException>(() => EvalSet.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.Null(error.LineNumber);
    }
}
