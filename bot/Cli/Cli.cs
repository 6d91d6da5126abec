using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// The <c>caravanbot</c> command line. Everything runs through <see cref="RunAsync(string[], CliEnvironment, Action{IServiceCollection}?, CancellationToken)"/>
/// with explicit streams, so tests drive the real thing in-process; <c>Program</c> only passes the console.
/// </summary>
public static class Cli
{
    private const string Name = "caravanbot";

    // Questions are free text: "@home" must stay a question, not become a response file.
    private static readonly ParserConfiguration ParserConfiguration = new() { ResponseFileTokenReplacer = null };

    /// <summary>Runs the command line on the given streams with the real engine; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, new CliEnvironment { In = stdin, Out = stdout, Error = stderr });

    /// <summary>
    /// Runs the command line; returns the exit code (see <see cref="ExitCodes"/>).
    /// <paramref name="configureServices"/> runs after the defaults, so a test can replace
    /// <see cref="IAnswererProvider"/> or <see cref="IArticleReader"/>.
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args,
        CliEnvironment environment,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        // Library code may log from other threads while a command writes progress.
        environment = new CliEnvironment
        {
            In = environment.In,
            Out = TextWriter.Synchronized(environment.Out),
            Error = TextWriter.Synchronized(environment.Error),
            InputIsTerminal = environment.InputIsTerminal,
            ErrorIsTerminal = environment.ErrorIsTerminal,
            BaseDirectory = environment.BaseDirectory,
            GetEnvironmentVariable = environment.GetEnvironmentVariable,
        };
        var error = environment.Error;
        try
        {
            var root = BuildRootCommand(environment, configureServices);
            var invocation = new InvocationConfiguration
            {
                Output = environment.Out,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            };

            if (args.Length == 0)
            {
                // No command is a usage error (exit 2), but the help it prints is what the user needs.
                await root.Parse(["--help"], ParserConfiguration).InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
                error.WriteLine($"{Name}: a command is needed: ask, paragraphs, chat, eval, review, run or serve (see {Name} --help)");
                return ExitCodes.Usage;
            }

            var parseResult = root.Parse(args, ParserConfiguration);
            if (FindUsageError(parseResult) is { } usage)
            {
                error.WriteLine($"{Name}: {usage}");
                return ExitCodes.Usage;
            }

            return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            return Fail(error, ExitCodes.Usage, ex.Message);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // Settings from the environment (e.g. Llm__Provider without Llm__Model) are the user's to fix.
            return Fail(error, ExitCodes.Usage, string.Join(' ', ex.Failures));
        }
        catch (Exception ex) when (ex is ArticleLoadException or CliInputException or EvalSetException)
        {
            return Fail(error, ExitCodes.InputUnavailable, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail(error, ExitCodes.Cancelled, "interrupted");
        }
        catch (IOException ex) when (IsBrokenPipe(ex))
        {
            // The reader of standard output has gone: stop quietly, as a shell command killed by SIGPIPE would.
            return ExitCodes.OutputClosed;
        }
        catch (Exception ex)
        {
            error.WriteLine($"{Name}: internal error: {CliText.OneLine(ex.Message)}");
            if (environment.GetEnvironmentVariable("CARAVANBOT_DEBUG") == "1")
            {
                error.WriteLine(ex.ToString());
            }

            return ExitCodes.InternalError;
        }
        finally
        {
            await FlushQuietlyAsync(environment.Out).ConfigureAwait(false);
            await FlushQuietlyAsync(error).ConfigureAwait(false);
        }
    }

    private static RootCommand BuildRootCommand(CliEnvironment environment, Action<IServiceCollection>? configureServices)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Show progress on standard error even when it is not a terminal",
            Recursive = true,
        };
        var runtime = new CliRuntime(environment, configureServices, verbose);
        return new RootCommand("CaravanBot answers questions about a news article with verbatim quotes and paragraph numbers (¶7), or says why it cannot.")
        {
            verbose,
            AskCommand.Create(runtime),
            ParagraphsCommand.Create(runtime),
            ChatCommand.Create(runtime),
            EvalCommand.Create(runtime),
            ReviewCommand.Create(runtime),
            RunCommand.Create(environment, configureServices, verbose),
            ServeCommand.Create(environment, configureServices, verbose),
        };
    }

    /// <summary>The one-line usage error for a parse, or null when the command can run.</summary>
    private static string? FindUsageError(ParseResult parseResult)
    {
        // -h and --version answer whatever else is on the line.
        if (parseResult.Action is HelpAction
            || parseResult.RootCommandResult.Command.Options.OfType<VersionOption>().Any(v => parseResult.GetResult(v) is not null))
        {
            return null;
        }

        var command = parseResult.CommandResult.Command;
        var hint = command is RootCommand ? $"see {Name} --help" : $"see {Name} {CommandPath(parseResult.CommandResult)} --help";

        // System.CommandLine hands an unknown "--bogus" to a command's QUESTION argument; it is a
        // mistyped option far more often than a question, and "--" lets a real one through.
        if (!parseResult.Tokens.Any(t => t.Type == TokenType.DoubleDash))
        {
            var optionLike = parseResult.CommandResult.Children
                .OfType<ArgumentResult>()
                .SelectMany(a => a.Tokens)
                .FirstOrDefault(t => LooksLikeOption(t.Value));
            if (optionLike is not null)
            {
                return $"unknown option '{optionLike.Value}' ({hint})";
            }
        }

        if (parseResult.Errors.Count == 0)
        {
            return null;
        }

        if (parseResult.UnmatchedTokens.Count > 0)
        {
            var token = parseResult.UnmatchedTokens[0];
            if (LooksLikeOption(token))
            {
                return $"unknown option '{token}' ({hint})";
            }

            return command is RootCommand
                ? $"unknown command '{token}': the commands are ask, paragraphs, chat, eval, review, run and serve ({hint})"
                : command.Arguments.Count > 0
                    ? $"{command.Name} takes one {command.Arguments[0].HelpName ?? "argument"}{(command.Arguments[0].HelpName == "QUESTION" ? "; put it in quotes" : string.Empty)} ({hint})"
                    : command.Subcommands.Count > 0
                        ? $"unknown command '{token}': the {command.Name} commands are {string.Join(", ", command.Subcommands.Select(c => c.Name))} ({hint})"
                        : $"{command.Name} takes no argument '{token}' ({hint})";
        }

        if (command is RootCommand)
        {
            return $"a command is needed: ask, paragraphs, chat, eval, review, run or serve ({hint})";
        }

        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"{command.Name} needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))} ({hint})";
        }

        var message = CliText.OneLine(parseResult.Errors[0].Message).TrimEnd('.');
        return message.Length == 0 ? $"invalid command line ({hint})" : $"{char.ToLowerInvariant(message[0])}{message[1..]} ({hint})";
    }

    /// <summary>"review list" for a subcommand: the words after the program name.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is CommandResult { Command: not RootCommand } command; current = command.Parent)
        {
            names.Insert(0, command.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-';

    /// <summary>EPIPE: the other end of a pipe was closed.</summary>
    private static bool IsBrokenPipe(IOException exception) =>
        exception.HResult == 32 || exception.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase);

    private static async Task FlushQuietlyAsync(TextWriter writer)
    {
        try
        {
            await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Whoever read this stream has gone; there is no one left to tell.
        }
    }

    private static int Fail(TextWriter error, int exitCode, string message)
    {
        error.WriteLine($"{Name}: {CliText.OneLine(message)}");
        return exitCode;
    }
}
