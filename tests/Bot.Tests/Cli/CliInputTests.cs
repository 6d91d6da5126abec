using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>Missing, unreadable, empty or malformed inputs exit 3 with one line, before any model is loaded.</summary>
public sealed class CliInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("ask", "--json", "What does Mexico want?")]
    [InlineData("paragraphs")]
    [InlineData("chat")]
    [InlineData("eval", "--questions", "QUESTIONS")]
    public async Task A_missing_article_exits_3_naming_the_path(params string[] command)
    {
        var questions = _cli.WriteFile("q.jsonl", "{\"id\": \"a\", \"question\": \"q\", \"expect\": \"abstain\"}\n");
        var missing = Path.Combine(_cli.BaseDirectory, "no-such-article.txt");
        string[] args = [.. command.Select(a => a == "QUESTIONS" ? questions : a), "--article", missing];

        var result = await _cli.RunAsync(args);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Equal($"caravanbot: article not found: {missing}", line);
        Assert.Empty(_cli.Answerers.Indexed);
    }

    [Fact]
    public async Task An_empty_article_file_exits_3()
    {
        var empty = _cli.WriteFile("empty.txt", string.Empty);

        var result = await _cli.RunAsync("ask", "--article", empty, "What does Mexico want?");

        Assert.Contains("is empty", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
        Assert.Empty(_cli.Answerers.Indexed);
    }

    [Fact]
    public async Task An_article_with_no_story_text_exits_3_with_the_readers_message()
    {
        var blank = _cli.WriteFile("blank.txt", "\n   \n\t\n");

        var result = await _cli.RunAsync("paragraphs", "--article", blank);

        Assert.Equal($"caravanbot: no story text in {blank}", result.AssertOneLineError(ExitCodes.InputUnavailable));
    }

    [Fact]
    public async Task A_folder_given_as_the_article_exits_3()
    {
        var result = await _cli.RunAsync("paragraphs", "--article", _cli.BaseDirectory);

        Assert.Contains("is a folder", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_default_article_exits_3_and_suggests_the_option()
    {
        File.Delete(Path.Combine(_cli.BaseDirectory, "articles", "caravan.txt"));

        var result = await _cli.RunAsync("ask", "What does Mexico want?");

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains("default article is missing", line, StringComparison.Ordinal);
        Assert.Contains("--article PATH", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_article_on_standard_input_exits_3()
    {
        var result = await _cli.RunWithInputAsync("  \n", "paragraphs", "--article", "-");

        Assert.Contains("standard input is empty", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_questions_file_exits_3_before_the_model_loads()
    {
        var missing = Path.Combine(_cli.BaseDirectory, "nope.txt");

        var result = await _cli.RunAsync("ask", "--json", "--file", missing);

        Assert.Equal(
            $"caravanbot: cannot read questions file {missing}: file not found",
            result.AssertOneLineError(ExitCodes.InputUnavailable));
        Assert.Empty(_cli.Answerers.Indexed);
    }

    [Fact]
    public async Task A_folder_given_as_the_questions_file_exits_3()
    {
        var result = await _cli.RunAsync("ask", "--file", _cli.BaseDirectory);

        Assert.Contains("cannot read questions file", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_evaluation_set_exits_3()
    {
        var result = await _cli.RunAsync("eval");

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains(Path.Combine(_cli.BaseDirectory, "eval", "tune.jsonl"), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_evaluation_line_exits_3_naming_the_line()
    {
        var questions = _cli.WriteFile(
            "q.jsonl",
            "{\"id\": \"a\", \"question\": \"q\", \"expect\": \"abstain\"}\n{\"id\": \"b\", \"question\": \"q\", \"expect\": 5}\n");

        var result = await _cli.RunAsync("eval", "--questions", questions);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains("line 2", line, StringComparison.Ordinal);
        Assert.Contains("\"expect\"", line, StringComparison.Ordinal);
        Assert.Empty(_cli.Answerers.Indexed);
    }
}
