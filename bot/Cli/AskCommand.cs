using System.CommandLine;

namespace CaravanBot.Bot.Cli;

/// <summary><c>caravanbot ask [--article PATH] [--json] (QUESTION | --file PATH)</c>.</summary>
internal static class AskCommand
{
    // Questions from a file go to the engine in blocks: answers start printing before a long file
    // is done, memory stays bounded, and the model is still loaded only once.
    private const int BlockSize = 256;

    public static Command Create(CliRuntime runtime)
    {
        var question = new Argument<string?>("question")
        {
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "QUESTION",
            Description = "The question, in quotes (put -- before a question that starts with -)",
        };
        var article = CliOptions.Article();
        var file = new Option<string?>("--file")
        {
            Description = "Ask each line of PATH instead (- for standard input); one answer per line",
            HelpName = "PATH",
        };
        var json = CliOptions.Json("Print each answer as one JSON object on one line");
        var command = new Command("ask", "Answer a question with verbatim quotes from the article, or say why not")
        {
            question, article, file, json,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation => RunAsync(
            invocation,
            parseResult.GetValue(question),
            parseResult.GetValue(article),
            parseResult.GetValue(file),
            parseResult.GetValue(json),
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(
        CliInvocation invocation, string? question, string? articlePath, string? filePath, bool json, CancellationToken cancellationToken)
    {
        if (question is not null && filePath is not null)
        {
            throw new CliUsageException("ask takes a QUESTION or --file PATH, not both (see caravanbot ask --help)");
        }

        if (question is null && filePath is null)
        {
            throw new CliUsageException("ask needs a QUESTION or --file PATH (see caravanbot ask --help)");
        }

        if (filePath == "-" && articlePath == "-")
        {
            throw new CliUsageException("--file - and --article - cannot both read standard input (see caravanbot ask --help)");
        }

        invocation.StartLoadingModel();
        var article = invocation.LoadArticle(articlePath);
        var questions = filePath is null
            ? null
            : await QuestionFile.ReadAsync(filePath, invocation.Environment.In, cancellationToken).ConfigureAwait(false);
        var answerer = invocation.OpenAnswerer(article);
        var output = invocation.Out;

        if (questions is null)
        {
            var answer = await answerer.AskAsync(question!, cancellationToken).ConfigureAwait(false);
            Write(output, answer, json);
            return ExitCodes.Success;
        }

        var written = 0;
        foreach (var block in questions.Chunk(BlockSize))
        {
            var answers = await answerer.AskManyAsync(block, cancellationToken).ConfigureAwait(false);
            if (answers.Count != block.Length)
            {
                throw new InvalidOperationException($"the engine returned {answers.Count} answers for {block.Length} questions");
            }

            foreach (var answer in answers)
            {
                if (!json && written > 0)
                {
                    output.WriteLine();
                }

                Write(output, answer, json);
                written++;
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static void Write(TextWriter output, Retrieval.Answering.Answer answer, bool json)
    {
        if (json)
        {
            AnswerFormatter.WriteJsonLine(output, answer);
        }
        else
        {
            AnswerFormatter.WriteReadable(output, answer);
        }
    }
}
