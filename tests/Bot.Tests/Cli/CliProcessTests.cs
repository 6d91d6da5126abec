using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>The real executable's exit codes and streams for cases that need no engine.</summary>
public sealed class CliProcessTests
{
    [Fact]
    public async Task An_unknown_option_exits_2_with_one_line_and_nothing_on_stdout()
    {
        var (result, _) = await CaravanbotProcess.RunAsync(null, "ask", "--bogus", "What does Mexico want?");

        Assert.Equal("caravanbot: unknown option '--bogus' (see caravanbot ask --help)", result.AssertOneLineError(ExitCodes.Usage));
    }

    [Fact]
    public async Task No_arguments_prints_help_and_exits_2()
    {
        var (result, _) = await CaravanbotProcess.RunAsync(null);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("caravanbot [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("paragraph numbers (¶7)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_article_exits_3()
    {
        var missing = Path.Combine(Path.GetTempPath(), "caravanbot-no-such-article.txt");

        var (result, _) = await CaravanbotProcess.RunAsync(null, "ask", "--article", missing, "What?");

        Assert.Equal($"caravanbot: article not found: {missing}", result.AssertOneLineError(ExitCodes.InputUnavailable));
    }
}
