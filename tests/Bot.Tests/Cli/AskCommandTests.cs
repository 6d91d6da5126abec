using System.Text.Json;
using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class AskCommandTests : IDisposable
{
    private const string MexicoParagraph =
        "Mexico wants sanctions on Cuba and Venezuela lifted and “development aid” for the region, said Andrés Manuel López Obrador.";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Json_answer_is_one_line_with_the_documented_keys_in_order()
    {
        var result = await _cli.RunAsync("ask", "--json", "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.EndsWith("}\n", result.Stdout, StringComparison.Ordinal);
        var json = Assert.Single(result.JsonLines());
        Assert.Equal(["question", "answered", "reason", "answer", "citations", "latency_ms"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("What does Mexico want?", json.GetProperty("question").GetString());
        Assert.True(json.GetProperty("answered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);
        Assert.Equal(FakeArticleAnswerer.LeadIn, json.GetProperty("answer").GetString());
        Assert.Equal(1.235, json.GetProperty("latency_ms").GetDouble());

        var citation = Assert.Single(json.GetProperty("citations").EnumerateArray().ToArray());
        Assert.Equal(["paragraph", "quote", "start", "end"], citation.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, citation.GetProperty("paragraph").GetInt32());
        Assert.Equal(MexicoParagraph, citation.GetProperty("quote").GetString());
        Assert.Equal(0, citation.GetProperty("start").GetInt32());
        Assert.Equal(MexicoParagraph.Length, citation.GetProperty("end").GetInt32());
    }

    [Fact]
    public async Task Json_keeps_accents_and_curly_quotes_as_readable_utf8()
    {
        var result = await _cli.RunAsync("ask", "--json", "What does Mexico want?");

        Assert.Contains("López Obrador", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("“development aid”", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("What is the capital of France?", "off_topic", FakeArticleAnswerer.OffTopicMessage)]
    [InlineData("Who won the football?", "not_in_article", FakeArticleAnswerer.NotInArticleMessage)]
    [InlineData("", "empty_question", FakeArticleAnswerer.EmptyMessage)]
    [InlineData("   \t ", "empty_question", FakeArticleAnswerer.EmptyMessage)]
    public async Task Abstentions_carry_the_reason_code_and_the_engines_message(string question, string reason, string message)
    {
        var result = await _cli.RunAsync("ask", "--json", question);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var json = Assert.Single(result.JsonLines());
        Assert.False(json.GetProperty("answered").GetBoolean());
        Assert.Equal(reason, json.GetProperty("reason").GetString());
        Assert.Equal(message, json.GetProperty("answer").GetString());
        Assert.Empty(json.GetProperty("citations").EnumerateArray());
        Assert.Equal([question], _cli.Answerers.SingleQuestions);
    }

    public static TheoryData<string> HostileQuestions => new()
    {
        new string('a', 10_000),
        string.Concat(Enumerable.Repeat("Why did Mexico want development aid? ", 300)),
        "Mexico\u0000\u0001\u0007\u001B[31m\b\f wants?",
        "line one\nline two\r\nline three\ttab",
        "zero\u200Bwidth\u200C\u200D\u2060\uFEFF joiners in Tapachula?",
        "\u200B\u200B\u200B",
        "quotes \" and \\ backslashes \\\" and </script>",
        "separators \u2028 and \u2029 in Mexico",
        "emoji 🚶‍♀️🇲🇽 and right-to-left \u202E text",
    };

    [Theory]
    [MemberData(nameof(HostileQuestions))]
    public async Task Odd_questions_produce_exactly_one_valid_json_line_that_round_trips(string question)
    {
        var result = await _cli.RunAsync("ask", "--json", question);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = Assert.Single(result.JsonLines());
        Assert.Equal(question, json.GetProperty("question").GetString());
    }

    [Fact]
    public async Task A_lone_surrogate_becomes_a_replacement_character_rather_than_breaking_the_json()
    {
        var result = await _cli.RunAsync("ask", "--json", "broken \uD800 text");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("broken \uFFFD text", Assert.Single(result.JsonLines()).GetProperty("question").GetString());
    }

    [Fact]
    public async Task File_gives_one_json_line_per_question_in_order_through_one_batch_call()
    {
        var file = _cli.WriteFile(
            "questions.txt",
            "What does Mexico want?\nWhat is the capital of France?\n\nWho slept on plastic?\nWhen will Blinken meet officials?\n");

        var result = await _cli.RunAsync("ask", "--json", "--file", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.JsonLines();
        Assert.Equal(
            ["What does Mexico want?", "What is the capital of France?", "", "Who slept on plastic?", "When will Blinken meet officials?"],
            lines.Select(l => l.GetProperty("question").GetString()));
        Assert.Equal(
            [JsonValueKind.Null, JsonValueKind.String, JsonValueKind.String, JsonValueKind.Null, JsonValueKind.Null],
            lines.Select(l => l.GetProperty("reason").ValueKind));
        Assert.Equal("empty_question", lines[2].GetProperty("reason").GetString());
        Assert.Equal([3, 4], lines.Skip(3).Select(l => l.GetProperty("citations")[0].GetProperty("paragraph").GetInt32()));
        Assert.Equal([5], _cli.Answerers.BatchSizes);
        Assert.Empty(_cli.Answerers.SingleQuestions);
        Assert.Single(_cli.Answerers.Indexed);
    }

    [Theory]
    [InlineData("a?\nb?\nc?", 3)]
    [InlineData("a?\nb?\nc?\n", 3)]
    [InlineData("a?\r\nb?\r\nc?\r\n", 3)]
    [InlineData("\uFEFFa?\nb?\n", 2)]
    [InlineData("a?\n\n\nb?\n", 4)]
    [InlineData("\n", 1)]
    [InlineData("a?\n\n", 2)]
    public async Task A_final_newline_ends_the_last_question_and_blank_lines_inside_are_questions(string content, int expected)
    {
        var file = _cli.WriteFile("questions.txt", content);

        var result = await _cli.RunAsync("ask", "--json", "--file", file);

        Assert.Equal(expected, result.JsonLines().Length);
        Assert.DoesNotContain(result.JsonLines(), l => l.GetProperty("question").GetString()!.Contains('\r', StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_empty_file_asks_nothing()
    {
        var file = _cli.WriteFile("questions.txt", string.Empty);

        var result = await _cli.RunAsync("ask", "--json", "--file", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task A_long_file_is_answered_in_blocks_with_every_line_kept_in_order()
    {
        var questions = Enumerable.Range(1, 600).Select(i => $"Question {i} about Tapachula?").ToArray();
        var file = _cli.WriteFile("questions.txt", string.Join('\n', questions) + "\n");

        var result = await _cli.RunAsync("ask", "--json", "--file", file);

        Assert.Equal(questions, result.JsonLines().Select(l => l.GetProperty("question").GetString()));
        Assert.Equal([256, 256, 88], _cli.Answerers.BatchSizes);
        Assert.Single(_cli.Answerers.Indexed);
    }

    [Fact]
    public async Task File_dash_reads_questions_from_standard_input()
    {
        var result = await _cli.RunWithInputAsync("What does Mexico want?\nWhat is the capital of France?\n", "ask", "--json", "--file", "-");

        Assert.Equal(
            ["What does Mexico want?", "What is the capital of France?"],
            result.JsonLines().Select(l => l.GetProperty("question").GetString()));
    }

    [Fact]
    public async Task Readable_answer_is_the_lead_in_then_a_quote_block_with_the_paragraph_number()
    {
        var result = await _cli.RunAsync("ask", "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal($"{FakeArticleAnswerer.LeadIn}\n> “{MexicoParagraph}” (¶2)\n", result.Stdout);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Readable_abstention_is_just_the_message()
    {
        var result = await _cli.RunAsync("ask", "What is the capital of France?");

        Assert.Equal(FakeArticleAnswerer.OffTopicMessage + "\n", result.Stdout);
    }

    [Fact]
    public async Task Readable_file_answers_are_separated_by_a_blank_line()
    {
        var file = _cli.WriteFile("questions.txt", "What does Mexico want?\nWhat is the capital of France?\nWho slept on plastic?\n");

        var result = await _cli.RunAsync("ask", "--file", file);

        var blocks = result.Stdout.Split("\n\n");
        Assert.Equal(3, blocks.Length);
        Assert.EndsWith("(¶2)", blocks[0], StringComparison.Ordinal);
        Assert.Equal(FakeArticleAnswerer.OffTopicMessage, blocks[1]);
        Assert.StartsWith(FakeArticleAnswerer.LeadIn, blocks[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_progress_goes_to_stderr_and_stdout_keeps_only_answers()
    {
        var file = _cli.WriteFile("questions.txt", "What does Mexico want?\nWho slept on plastic?\n");

        var result = await _cli.RunAsync("ask", "--json", "--verbose", "--file", file);

        Assert.Equal(2, result.JsonLines().Length);
        Assert.Contains("Loading the embedding model…", result.StderrLines);
        Assert.Contains(result.StderrLines, l => l.StartsWith("Indexed 4 paragraphs in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Progress_is_shown_when_stderr_is_a_terminal_and_hidden_when_it_is_not()
    {
        var quiet = await _cli.RunAsync("ask", "--json", "What does Mexico want?");
        _cli.ErrorIsTerminal = true;
        var watched = await _cli.RunAsync("ask", "--json", "What does Mexico want?");

        Assert.Equal(string.Empty, quiet.Stderr);
        Assert.Contains("Loading the embedding model…", watched.StderrLines);
        Assert.Equal(quiet.Stdout, watched.Stdout);
    }

    [Fact]
    public async Task Article_dash_reads_plain_text_from_standard_input()
    {
        var result = await _cli.RunWithInputAsync(
            "Storm hits Lisbon\nWaves flooded the harbour in Lisbon overnight.\n",
            "ask", "--json", "--article", "-", "What happened to the harbour?");

        var citation = Assert.Single(result.JsonLines()).GetProperty("citations")[0];
        Assert.Equal("Waves flooded the harbour in Lisbon overnight.", citation.GetProperty("quote").GetString());
        Assert.Equal("stdin", _cli.Answerers.Indexed.Single().Source);
    }

    [Fact]
    public async Task Article_dash_reads_a_web_page_from_standard_input()
    {
        var result = await _cli.RunWithInputAsync(
            "<!doctype html><html><body><h1>Storm hits Lisbon</h1><p>Waves flooded the harbour overnight.</p></body></html>",
            "ask", "--json", "--article", "-", "What happened to the harbour?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var citation = Assert.Single(result.JsonLines()).GetProperty("citations")[0];
        Assert.Equal("Waves flooded the harbour overnight.", citation.GetProperty("quote").GetString());
    }

    [Fact]
    public async Task Article_option_replaces_the_default_article()
    {
        var other = _cli.WriteFile("storm.txt", "Storm hits Lisbon\nWaves flooded the harbour overnight.\n");

        var result = await _cli.RunAsync("ask", "--article", other, "What happened to the harbour?");

        Assert.Equal($"{FakeArticleAnswerer.LeadIn}\n> “Waves flooded the harbour overnight.” (¶2)\n", result.Stdout);
        Assert.Equal(other, _cli.Answerers.Indexed.Single().Source);
    }
}
