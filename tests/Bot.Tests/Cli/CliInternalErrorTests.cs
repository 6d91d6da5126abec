using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class CliInternalErrorTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task An_engine_failure_is_one_line_without_a_stack_trace()
    {
        _cli.Answerers.Override = _ => throw new InvalidOperationException("index exploded\nwhile ranking");

        var result = await _cli.RunAsync("ask", "--json", "What does Mexico want?");

        Assert.Equal(
            "caravanbot: internal error: index exploded while ranking",
            result.AssertOneLineError(ExitCodes.InternalError));
    }

    [Fact]
    public async Task CARAVANBOT_DEBUG_adds_the_stack_trace()
    {
        _cli.Answerers.Override = _ => throw new InvalidOperationException("index exploded");
        _cli.Variables["CARAVANBOT_DEBUG"] = "1";

        var result = await _cli.RunAsync("ask", "What does Mexico want?");

        Assert.Equal(ExitCodes.InternalError, result.ExitCode);
        Assert.StartsWith("caravanbot: internal error: index exploded\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_exits_130()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        _cli.Cancellation = cancelled.Token;

        var result = await _cli.RunWithInputAsync("What does Mexico want?\n", "ask", "--file", "-");

        Assert.Equal("caravanbot: interrupted", result.AssertOneLineError(ExitCodes.Cancelled));
    }
}
