using System.Text.Json;
using CaravanBot.Bot.Cli;
using CaravanbotEntry = CaravanBot.Bot.Cli.Cli;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// The command line with the real ingestion and engine on the bundled caravan story, through the
/// same <c>Cli.RunAsync(args, stdin, stdout, stderr)</c> entry Program uses. These fail until
/// ArticleReader and ArticleAnswerer are implemented; nothing here is skipped on purpose.
/// </summary>
public sealed class RealEngineCliTests
{
    [Fact]
    public async Task Ask_json_quotes_what_mexico_wants_verbatim()
    {
        var result = await RunAsync(string.Empty, "ask", "--json", "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var answer = Assert.Single(result.JsonLines());
        Assert.True(answer.GetProperty("answered").GetBoolean());
        var citations = answer.GetProperty("citations").EnumerateArray().ToArray();
        Assert.InRange(citations.Length, 1, 3);
        var quotes = string.Join(' ', citations.Select(c => c.GetProperty("quote").GetString()));
        Assert.Contains("sanctions on Cuba and Venezuela", quotes, StringComparison.Ordinal);
        Assert.Contains("development aid", quotes, StringComparison.Ordinal);
        await AssertVerbatimAsync(citations);
    }

    [Theory]
    [InlineData("What is the capital of France?", "off_topic")]
    [InlineData("", "empty_question")]
    [InlineData("   ", "empty_question")]
    [InlineData("\u200B\u200B", "empty_question")]
    public async Task Ask_json_abstains_with_the_reason(string question, string reason)
    {
        var result = await RunAsync(string.Empty, "ask", "--json", question);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var answer = Assert.Single(result.JsonLines());
        Assert.False(answer.GetProperty("answered").GetBoolean());
        Assert.Equal(reason, answer.GetProperty("reason").GetString());
        Assert.Empty(answer.GetProperty("citations").EnumerateArray());
        Assert.False(string.IsNullOrWhiteSpace(answer.GetProperty("answer").GetString()));
    }

    [Fact]
    public async Task Readable_answer_shows_quote_blocks_with_paragraph_numbers()
    {
        var result = await RunAsync(string.Empty, "ask", "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains(result.StdoutLines, l => l.StartsWith("> “", StringComparison.Ordinal));
        Assert.Matches(@"” \(¶\d+\)$", result.StdoutLines[^1]);
    }

    [Fact]
    public async Task Odd_questions_never_crash_and_stay_valid_json()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("caravanbot-real-").FullName, "q.txt");
        string[] questions =
        [
            new string('x', 10_000),
            string.Concat(Enumerable.Repeat("What does Mexico want from the US? ", 300)),
            "Mexico\u0000\u0001\u001B[31m wants?",
            "What\u200B does\u200D Mexico\uFEFF want?",
            "Qué quiere México?",
        ];
        await File.WriteAllLinesAsync(file, questions);

        var result = await RunAsync(string.Empty, "ask", "--json", "--file", file);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(questions, result.JsonLines().Select(l => l.GetProperty("question").GetString()));
    }

    [Fact]
    public async Task File_answers_every_line_in_order()
    {
        var result = await RunAsync(
            "What does Mexico want?\nWhat is the capital of France?\n\nWho organised the caravan?\n",
            "ask", "--json", "--file", "-");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.JsonLines();
        Assert.Equal(
            ["What does Mexico want?", "What is the capital of France?", "", "Who organised the caravan?"],
            lines.Select(l => l.GetProperty("question").GetString()));
        Assert.Equal("empty_question", lines[2].GetProperty("reason").GetString());
        Assert.Contains("Luis García Villagrán", lines[3].GetProperty("citations").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paragraphs_of_the_default_article_drop_boilerplate_and_start_with_the_headline()
    {
        var result = await RunAsync(string.Empty, "paragraphs", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var paragraphs = result.JsonLines();
        Assert.Equal(Enumerable.Range(1, paragraphs.Length), paragraphs.Select(p => p.GetProperty("paragraph").GetInt32()));
        Assert.Equal("8,000-strong migrant caravan heads for US border", paragraphs[0].GetProperty("text").GetString());
        var texts = paragraphs.Select(p => p.GetProperty("text").GetString()!).ToArray();
        Assert.DoesNotContain(texts, t => t.Contains("Your support", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("commenting forum", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("A vast caravan of thousands of migrants", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_with_piped_questions_prints_only_answers()
    {
        var result = await RunAsync("What does Mexico want?\nWhat is the capital of France?\nquit\n", "chat");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("(¶", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("8,000-strong migrant caravan", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_scores_a_small_set_with_full_quote_fidelity()
    {
        var directory = Directory.CreateTempSubdirectory("caravanbot-real-eval-").FullName;
        var questions = Path.Combine(directory, "questions.jsonl");
        await File.WriteAllTextAsync(questions, """
            {"id": "r-1", "question": "What does Mexico want?", "expect": ["development aid"]}
            {"id": "r-2", "question": "What is the capital of France?", "expect": "abstain", "reason": "off_topic"}
            """);

        var result = await RunAsync(string.Empty, "eval", "--questions", questions, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var total = Assert.Single(result.JsonLines()).GetProperty("total");
        Assert.Equal(2, total.GetProperty("questions").GetInt32());
        Assert.Equal(1.0, total.GetProperty("quote_fidelity").GetDouble());
    }

    [Fact]
    public async Task The_process_answers_from_the_bundled_article_with_nothing_on_stderr()
    {
        // Start-up time is measured outside the tests (README, "Whole process"); here the process
        // must answer from the bundled article, even on its first run when it unpacks the model.
        var (result, _) = await CaravanbotProcess.RunAsync(null, "ask", "--json", "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.True(Assert.Single(result.JsonLines()).GetProperty("answered").GetBoolean());
    }

    private static async Task<CliResult> RunAsync(string input, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = await CaravanbotEntry.RunAsync(args, new StringReader(input), stdout, stderr);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static async Task AssertVerbatimAsync(IEnumerable<JsonElement> citations)
    {
        var paragraphs = (await RunAsync(string.Empty, "paragraphs", "--json")).JsonLines()
            .ToDictionary(p => p.GetProperty("paragraph").GetInt32(), p => p.GetProperty("text").GetString()!);
        foreach (var citation in citations)
        {
            var text = paragraphs[citation.GetProperty("paragraph").GetInt32()];
            var start = citation.GetProperty("start").GetInt32();
            var end = citation.GetProperty("end").GetInt32();
            Assert.Equal(citation.GetProperty("quote").GetString(), text[start..end]);
        }
    }
}
