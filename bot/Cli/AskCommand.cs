using System.CommandLine;

namespace CaravanBot.Bot.Cli;

/// <summary><c>caravanbot ask [--article PATH] [--json] (QUESTION | --file PATH)</c>.</summary>
internal static class AskCommand
{
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
        var questions = filePath is null ? null : QuestionFile.Open(filePath, invocation.Environment.In);
        using var questionsFile = filePath is not null && filePath != "-" ? questions : null;
        var answerer = invocation.OpenAnswerer(article, cancellationToken);
        var output = invocation.Out;

        if (questions is null)
        {
            var answer = await answerer.AskAsync(question!, cancellationToken).ConfigureAwait(false);
            Write(output, answer, json);
            return ExitCodes.Success;
        }

        // Questions go to the engine in blocks (one at a time for a language model): answers are written
        // and flushed after each block, so a closed standard output stops the run before more is asked.
        var written = 0;
        var blockSize = Math.Max(1, answerer.BatchSize);
        var block = new List<string>(blockSize);
        await foreach (var line in QuestionFile.ReadLinesAsync(questions, filePath!, cancellationToken).ConfigureAwait(false))
        {
            block.Add(line);
            if (block.Count == blockSize)
            {
                written = await AnswerBlockAsync(answerer, block, output, json, written, cancellationToken).ConfigureAwait(false);
                block.Clear();
            }
        }

        if (block.Count > 0)
        {
            await AnswerBlockAsync(answerer, block, output, json, written, cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task<int> AnswerBlockAsync(
        IArticleAnswerer answerer, List<string> block, TextWriter output, bool json, int written, CancellationToken cancellationToken)
    {
        var answers = await answerer.AskManyAsync(block.ToArray(), cancellationToken).ConfigureAwait(false);
        if (answers.Count != block.Count)
        {
            throw new InvalidOperationException($"the engine returned {answers.Count} answers for {block.Count} questions");
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
        return written;
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
