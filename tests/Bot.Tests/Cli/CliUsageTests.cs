using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class CliUsageTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task No_arguments_prints_help_on_stdout_and_exits_with_the_usage_code()
    {
        var result = await _cli.RunAsync();

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("ask", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("paragraphs", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("a command is needed", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown option '--bogus' (see caravanbot ask --help)", "ask", "--bogus", "What does Mexico want?")]
    [InlineData("unknown option '--bogus' (see caravanbot ask --help)", "ask", "--bogus")]
    [InlineData("unknown option '-x' (see caravanbot ask --help)", "ask", "--json", "-x")]
    [InlineData("unknown option '--bogus' (see caravanbot paragraphs --help)", "paragraphs", "--bogus")]
    [InlineData("unknown option '--bogus' (see caravanbot --help)", "--bogus")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("ask needs a QUESTION or --file PATH (see caravanbot ask --help)", "ask")]
    [InlineData("ask needs a QUESTION or --file PATH", "ask", "--json")]
    [InlineData("ask takes a QUESTION or --file PATH, not both", "ask", "--file", "questions.txt", "What?")]
    [InlineData("ask takes one QUESTION; put it in quotes", "ask", "What", "does", "Mexico", "want?")]
    [InlineData("required argument missing for option: '--article' (see caravanbot ask --help)", "ask", "What?", "--article")]
    [InlineData("cannot both read standard input", "ask", "--file", "-", "--article", "-")]
    [InlineData("chat reads questions from standard input", "chat", "--article", "-")]
    [InlineData("a command is needed", "--verbose")]
    [InlineData("paragraphs takes no argument 'extra'", "paragraphs", "extra")]
    [InlineData("--seeds must be between 1 and 20 (see caravanbot eval --help)", "eval", "--train", "model.json", "--seeds", "0")]
    [InlineData("--seeds goes with --train", "eval", "--seeds", "3")]
    public async Task Usage_errors_exit_2_with_one_line_on_stderr_and_load_nothing(string expected, params string[] args)
    {
        var result = await _cli.RunAsync(args);

        var line = result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(_cli.Answerers.Indexed);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("ask", "--help")]
    [InlineData("paragraphs", "-h")]
    [InlineData("chat", "--help")]
    [InlineData("eval", "--help")]
    [InlineData("ask", "-h", "--bogus")]
    public async Task Help_goes_to_stdout_and_exits_0(params string[] args)
    {
        var result = await _cli.RunAsync(args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
        Assert.Empty(_cli.Answerers.Indexed);
    }

    [Fact]
    public async Task Ask_help_documents_the_options()
    {
        var result = await _cli.RunAsync("ask", "--help");

        foreach (var option in new[] { "--article", "--file", "--json", "--verbose", "QUESTION" })
        {
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_question_that_starts_with_a_dash_goes_after_a_double_dash()
    {
        var result = await _cli.RunAsync("ask", "--json", "--", "-5 degrees in Tapachula?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["-5 degrees in Tapachula?"], _cli.Answerers.SingleQuestions);
    }

    [Fact]
    public async Task A_question_starting_with_an_at_sign_is_a_question_not_a_response_file()
    {
        var result = await _cli.RunAsync("ask", "--json", "@Blinken who will you meet?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["@Blinken who will you meet?"], _cli.Answerers.SingleQuestions);
    }
}
