using System.CommandLine;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot chat [--article PATH]</c>: ask question after question about one article. The banner
/// and the prompt go to standard error (the prompt only when a person is typing), so piping
/// questions in yields nothing but answers on standard output.
/// </summary>
internal static class ChatCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var article = CliOptions.Article(standardInput: false);
        var command = new Command("chat", "Ask questions about the article one after another (quit or Ctrl+D to leave)")
        {
            article,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(
            parseResult,
            invocation => RunAsync(invocation, parseResult.GetValue(article), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliInvocation invocation, string? articlePath, CancellationToken cancellationToken)
    {
        if (articlePath == "-")
        {
            throw new CliUsageException("chat reads questions from standard input, so --article - cannot be used (see caravanbot chat --help)");
        }

        var environment = invocation.Environment;
        invocation.StartLoadingModel();
        var article = invocation.LoadArticle(articlePath);
        var answerer = invocation.OpenAnswerer(article, cancellationToken);
        environment.Error.WriteLine($"CaravanBot: ask about “{CliText.OneLine(article.Headline)}”");
        environment.Error.WriteLine("Type a question and press Enter; type quit to leave.");

        while (true)
        {
            if (environment.InputIsTerminal)
            {
                environment.Error.Write("> ");
                environment.Error.Flush();
            }

            var line = await environment.In.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                if (environment.InputIsTerminal)
                {
                    environment.Error.WriteLine();
                }

                break;
            }

            var trimmed = line.Trim();
            if (trimmed.Equals("quit", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("exit", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            // An empty line in a conversation is a stray Enter, not a question: prompt again.
            if (trimmed.Length == 0)
            {
                continue;
            }

            var answer = await answerer.AskAsync(line, cancellationToken).ConfigureAwait(false);
            AnswerFormatter.WriteReadable(invocation.Out, answer);
            invocation.Out.WriteLine();
            await invocation.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
