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
            "What does Mexico want?\nWhat is the capital of France?\n\nWho will Mr Blinken meet in Mexico City?\n",
            "ask", "--json", "--file", "-");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.JsonLines();
        Assert.Equal(
            ["What does Mexico want?", "What is the capital of France?", "", "Who will Mr Blinken meet in Mexico City?"],
            lines.Select(l => l.GetProperty("question").GetString()));
        Assert.Equal("empty_question", lines[2].GetProperty("reason").GetString());
        Assert.Contains("López Obrador", lines[3].GetProperty("citations").ToString(), StringComparison.Ordinal);
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
    public async Task Paragraphs_verbose_says_which_extractor_read_the_page_and_which_rule_dropped_what()
    {
        var page = Path.Combine(Directory.CreateTempSubdirectory("caravanbot-real-").FullName, "page.html");
        await File.WriteAllTextAsync(page, """
            <!doctype html><html><head><title>Ferry fares rise | Harbour Herald</title>
            <meta property="og:site_name" content="Harbour Herald">
            <meta property="article:published_time" content="2019-11-18T09:30:00Z">
            <link rel="canonical" href="https://herald.example/ferry-fares"></head>
            <body><article><h1>Ferry fares rise</h1>
            <p>By Jane Doe</p>
            <p>facebooktwitterflipboardwhatsapp</p>
            <p>The harbour authority confirmed on Monday that ferry fares will rise by five per cent from April, blaming fuel costs.</p>
            <p>Season tickets for commuters will cost £40 more a year, and the cheapest single fare goes up to £3.20.</p>
            <p>Operators said the rise was the first in three years and that services would not be cut.</p>
            </article></body></html>
            """);

        var result = await RunAsync(string.Empty, "paragraphs", "--verbose", "--article", page);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain("Jane Doe", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("facebook", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("caravanbot: read by readability (SmartReader): 4 paragraphs kept (1 headline, 3 body)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("published: 2019-11-18 · publisher: Harbour Herald · url: https://herald.example/ferry-fares", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("caravanbot: dropped (byline): By Jane Doe", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("caravanbot: dropped (share bar): facebooktwitterflipboardwhatsapp", result.Stderr, StringComparison.Ordinal);
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
