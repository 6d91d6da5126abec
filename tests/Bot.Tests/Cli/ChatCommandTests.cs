using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class ChatCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Piped_questions_get_readable_answers_on_stdout_and_nothing_else()
    {
        var result = await _cli.RunWithInputAsync(
            "What does Mexico want?\n\nWhat is the capital of France?\nquit\nWho slept on plastic?\n",
            "chat");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["What does Mexico want?", "What is the capital of France?"], _cli.Answerers.SingleQuestions);
        var mexico = $"{FakeArticleAnswerer.LeadIn}\n> “{CliHarness.DefaultArticle.Split('\n')[1]}” (¶2)\n";
        Assert.Equal($"{mexico}\n{FakeArticleAnswerer.OffTopicMessage}\n\n", result.Stdout);
    }

    [Fact]
    public async Task The_banner_names_the_headline_on_stderr_and_no_prompt_is_written_when_input_is_piped()
    {
        var result = await _cli.RunWithInputAsync("What does Mexico want?\n", "chat");

        Assert.Contains("Migrant caravan heads for US border", result.StderrLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("> ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_person_at_a_terminal_gets_a_prompt_on_stderr_before_each_line()
    {
        _cli.InputIsTerminal = true;

        var result = await _cli.RunWithInputAsync("What does Mexico want?\nWho slept on plastic?\n", "chat");

        Assert.Equal(3, result.Stderr.Split("> ").Length - 1);
        Assert.DoesNotContain("> \n", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, _cli.Answerers.SingleQuestions.Count);
    }

    [Theory]
    [InlineData("exit")]
    [InlineData("  QUIT ")]
    [InlineData("Exit")]
    public async Task Quit_or_exit_ends_the_conversation(string command)
    {
        var result = await _cli.RunWithInputAsync($"What does Mexico want?\n{command}\nWho slept on plastic?\n", "chat");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Single(_cli.Answerers.SingleQuestions);
    }

    [Fact]
    public async Task End_of_input_ends_the_conversation_without_asking_anything()
    {
        var result = await _cli.RunWithInputAsync(string.Empty, "chat", "--article", Path.Combine(_cli.BaseDirectory, "articles", "caravan.txt"));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Empty(_cli.Answerers.SingleQuestions);
    }
}
