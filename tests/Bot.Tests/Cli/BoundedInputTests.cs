using System.Diagnostics;
using System.Text;
using CaravanBot.Bot.Cli;
using CaravanBot.Retrieval.Tests.Llm;
using CaravanbotCli = CaravanBot.Bot.Cli.Cli;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// Long work can be stopped and is bounded: an endless or enormous input is refused with one line
/// (exit 3), indexing shows progress and stops on Ctrl+C, and a reader who closes standard output
/// stops the run before anything more is asked. Odd files are reported for what they are.
/// </summary>
public sealed class BoundedInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_question_line_past_the_bound_is_exit_3_naming_the_line()
    {
        var questions = _cli.WriteFile("q.txt", "What does Mexico want?\n" + new string('a', 20_001) + "\n");

        var result = await _cli.RunAsync("ask", "--json", "--file", questions);

        Assert.Equal(ExitCodes.InputUnavailable, result.ExitCode);
        Assert.Contains("line 2 of questions file", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_zero_as_the_questions_file_is_refused_at_once()
    {
        var result = await _cli.RunAsync("ask", "--file", "/dev/zero");

        Assert.Contains("line 1 of questions file /dev/zero is longer than", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_as_the_questions_file_is_called_a_folder()
    {
        var result = await _cli.RunAsync("ask", "--file", _cli.BaseDirectory);

        Assert.Contains("is a folder", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fifo_as_the_article_is_read_not_called_empty()
    {
        var fifo = Path.Combine(_cli.BaseDirectory, "article.pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        using var writer = Process.Start("sh", ["-c", $"printf 'Piped headline\\nThe story arrived through a pipe.\\n' > '{fifo}'"]);

        var result = await _cli.RunAsync("paragraphs", "--article", fifo);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["¶1 Piped headline", "¶2 The story arrived through a pipe."], result.StdoutLines);
    }

    [Fact]
    public async Task A_proc_file_as_the_article_is_read_not_called_empty()
    {
        var result = await _cli.RunAsync("paragraphs", "--article", "/proc/self/status");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Name:", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Llm__Provider", "Bogus", "ask", "What does Mexico want?")]
    [InlineData("Llm__TimeoutSeconds", "abc", "ask", "What does Mexico want?")]
    [InlineData("Llm__Provider", "Bogus", "chat")]
    [InlineData("Llm__MaxOutputTokens", "lots", "paragraphs")]
    public async Task Llm_settings_that_do_not_convert_are_a_usage_error_for_every_command(string name, string value, params string[] args)
    {
        _cli.Variables[name] = value;

        var result = await _cli.RunAsync(args);

        Assert.Contains(name.Replace("__", ":", StringComparison.Ordinal), result.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_article_past_the_size_bound_is_exit_3_with_one_line()
    {
        using var cli = new CliHarness { UseRealEngine = true };
        var big = cli.WriteFile("big.txt", "A long headline\n" + string.Concat(Enumerable.Range(0, 2500).Select(i => $"Paragraph {i} says something about the border.\n")));

        var result = await cli.RunAsync("ask", "--article", big, "What about the border?");

        Assert.Contains("at most 2,000", result.AssertOneLineError(ExitCodes.InputUnavailable), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indexing_a_long_article_shows_progress_and_stops_on_ctrl_c()
    {
        var article = _cli.WriteFile("long.txt", "A long headline about the valley\n" + string.Concat(Enumerable.Range(0, 1200).Select(i => $"Resident number {i} told reporters the river rose overnight near bridge {i}.\n")));
        using var cancel = new CancellationTokenSource();
        var stdout = new StringWriter();
        var stderr = new CancelOnProgress(cancel);
        var environment = new CliEnvironment { In = new StringReader(string.Empty), Out = stdout, Error = stderr, BaseDirectory = _cli.BaseDirectory, GetEnvironmentVariable = _ => null };

        var clock = Stopwatch.StartNew();
        var exit = await CaravanbotCli.RunAsync(["ask", "--verbose", "--article", article, "Did the river rise?"], environment, configureServices: null, cancel.Token);

        Assert.Equal(ExitCodes.Cancelled, exit);
        Assert.Contains("Indexing the article: 10%", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Indexing the article: 100%", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.ToString());
    }

    [Fact]
    public async Task A_closed_standard_output_stops_the_run_before_the_model_is_asked_again()
    {
        await using var server = new FakeChatServer
        {
            Reply = FakeChatReply.Json(new
            {
                answered = true,
                answer = "Mexico wants sanctions lifted.",
                quotes = new[] { new { paragraph = 13, quote = "wants to see US remove or reduce sanctions on Cuba and Venezuela" } },
            }) with { Delay = TimeSpan.FromMilliseconds(50) },
        };
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { BotAssembly(), "ask", "--json", "--file", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Llm__Provider"] = "OpenAICompatible";
        start.Environment["Llm__Endpoint"] = server.Endpoint.ToString();
        start.Environment["Llm__Model"] = "test-model";
        start.Environment.Remove("CARAVANBOT_DEBUG");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(string.Concat(Enumerable.Repeat("What does Mexico want?\n", 40)));
        process.StandardInput.Close();

        var first = await process.StandardOutput.ReadLineAsync();
        process.StandardOutput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Contains("\"answered\":true", first, StringComparison.Ordinal);
        Assert.Contains(process.ExitCode, new[] { ExitCodes.Success, ExitCodes.OutputClosed });
        Assert.True(server.Requests.Count <= 5, $"the model was asked {server.Requests.Count} times after the reader left; stderr: {await stderr}");
    }

    private static string BotAssembly()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
            {
                return Path.Combine(dir.FullName, "bot", "bin", output.Parent!.Name, output.Name, "caravanbot.dll");
            }
        }

        throw new DirectoryNotFoundException("no CaravanBot.sln above the tests");
    }

    /// <summary>Standard error that presses Ctrl+C as soon as indexing reports progress.</summary>
    private sealed class CancelOnProgress : StringWriter
    {
        private readonly CancellationTokenSource _cancel;

        public CancelOnProgress(CancellationTokenSource cancel) => _cancel = cancel;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith("Indexing the article", StringComparison.Ordinal) == true)
            {
                _cancel.Cancel();
            }
        }
    }
}
