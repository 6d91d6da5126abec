using System.Text.Json;
using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class EvalCommandTests : IDisposable
{
    private const string Questions = """
        {"id": "c-001", "question": "What does Mexico want?", "expect": ["sanctions on Cuba and Venezuela", "development aid"], "category": "what"}
        {"id": "c-002", "question": "Where did families sleep on plastic?", "expect": ["Tapachula"]}
        {"id": "c-003", "question": "Who will Blinken meet?", "expect": ["President López Obrador"], "category": "who"}
        {"id": "c-004", "question": "What is the capital of France?", "expect": "abstain", "reason": "off_topic"}
        """;

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Runs_both_halves_of_the_default_set_tuning_half_first()
    {
        _cli.WriteFile(Path.Combine("eval", "tune.jsonl"), Questions);
        _cli.WriteFile(Path.Combine("eval", "test.jsonl"), "{\"id\": \"t-1\", \"question\": \"What is the capital of France?\", \"expect\": \"abstain\", \"reason\": \"off_topic\", \"category\": \"off_topic\"}\n");

        var result = await _cli.RunAsync("eval");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var headers = result.StdoutLines.Where(l => l.StartsWith("Evaluation of", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, headers.Length);
        Assert.EndsWith(Path.Combine("eval", "tune.jsonl"), headers[0], StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("eval", "test.jsonl"), headers[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prints_a_table_per_article_and_per_category_with_totals_and_failures()
    {
        var questions = _cli.WriteFile("q.jsonl", Questions);

        var result = await _cli.RunAsync("eval", "--questions", questions);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var lines = result.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith("category", StringComparison.Ordinal) && l.Contains("accuracy", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("who ", StringComparison.Ordinal) && l.Contains("0.0%", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("article", StringComparison.Ordinal) && l.Contains("accuracy", StringComparison.Ordinal)
            && l.Contains("fidelity", StringComparison.Ordinal) && l.Contains("p95 ms", StringComparison.Ordinal));
        var total = Assert.Single(lines, l => l.StartsWith("total ", StringComparison.Ordinal));
        Assert.Contains("75.0%", total, StringComparison.Ordinal);
        Assert.Contains("100.0%", total, StringComparison.Ordinal);
        Assert.Contains("Failures (1):", lines);
        Assert.Contains(lines, l => l.Contains("c-003", StringComparison.Ordinal) && l.Contains("Who will Blinken meet?", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("expected:", StringComparison.Ordinal) && l.Contains("\"President López Obrador\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("got:", StringComparison.Ordinal) && l.Contains("¶4", StringComparison.Ordinal));
        Assert.Contains("Abstention reasons matched: 1 of 1 labelled with a reason.", lines);
    }

    [Fact]
    public async Task Json_report_is_one_object_with_per_article_and_total_figures()
    {
        var questions = _cli.WriteFile("set/questions.jsonl", Questions + "\n{\"id\": \"s-1\", \"article\": \"storm\", \"question\": \"What flooded the harbour?\", \"expect\": [\"harbour\"]}\n");
        _cli.WriteFile("set/articles/storm.txt", "Storm hits Lisbon\nWaves flooded the harbour overnight.\n");

        var result = await _cli.RunAsync("eval", "--questions", questions, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var report = Assert.Single(result.JsonLines());
        Assert.Equal(0.8, report.GetProperty("accuracy").GetDouble());
        Assert.Equal(["default", "storm"], report.GetProperty("articles").EnumerateArray().Select(a => a.GetProperty("article").GetString()));
        var total = report.GetProperty("total");
        Assert.Equal(5, total.GetProperty("questions").GetInt32());
        Assert.Equal(4, total.GetProperty("expected_answers").GetInt32());
        Assert.Equal(3, total.GetProperty("correct_answers").GetInt32());
        Assert.Equal(1, total.GetProperty("expected_abstentions").GetInt32());
        Assert.Equal(1, total.GetProperty("correct_abstentions").GetInt32());
        Assert.Equal(1.0, total.GetProperty("quote_fidelity").GetDouble());
        Assert.Equal(1.235, total.GetProperty("latency_p95_ms").GetDouble());
        var failure = Assert.Single(report.GetProperty("failures").EnumerateArray().ToArray());
        Assert.Equal("c-003", failure.GetProperty("id").GetString());
        Assert.Equal("incomplete_answer", failure.GetProperty("outcome").GetString());
        Assert.Equal(["President López Obrador"], failure.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));
        Assert.True(failure.GetProperty("reply").GetProperty("answered").GetBoolean());
        Assert.Equal(2, _cli.Answerers.Indexed.Count);
    }

    [Fact]
    public async Task Article_option_is_the_article_of_default_cases()
    {
        var questions = _cli.WriteFile("q.jsonl", "{\"id\": \"s-1\", \"question\": \"What flooded the harbour?\", \"expect\": [\"Waves flooded\"]}\n");
        var storm = _cli.WriteFile("storm.txt", "Storm hits Lisbon\nWaves flooded the harbour overnight.\n");

        var result = await _cli.RunAsync("eval", "--questions", questions, "--article", storm, "--json");

        Assert.Equal(1.0, Assert.Single(result.JsonLines()).GetProperty("accuracy").GetDouble());
        Assert.Equal(storm, _cli.Answerers.Indexed.Single().Source);
    }

    [Fact]
    public async Task A_missing_named_article_exits_3()
    {
        var questions = _cli.WriteFile("q.jsonl", "{\"id\": \"s-1\", \"article\": \"flood\", \"question\": \"q\", \"expect\": [\"x\"]}\n");

        var result = await _cli.RunAsync("eval", "--questions", questions);

        Assert.Contains("\"flood\" not found", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }
}
