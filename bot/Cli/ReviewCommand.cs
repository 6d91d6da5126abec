using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot review list|show|export|approve|flag|retract|correct [--db PATH]</c>: the answer log
/// for moderators who work from a terminal or a spreadsheet. Reads and writes the same log as the running
/// bot, chosen by the same settings as <c>caravanbot run</c> (<c>AnswerLog:Provider</c>, <c>Path</c>,
/// <c>ConnectionString</c>, <c>BusyTimeout</c>): the SQLite file (WAL mode lets both at once) or the shared
/// PostgreSQL database. The log must exist: a mistyped <c>--db</c> or connection string is reported (exit 3),
/// never answered from a new empty log. <c>list</c>, <c>show</c> and <c>export</c> open it read-only and never
/// create, migrate or otherwise change it; only the write commands upgrade an older log, and only one that is
/// CaravanBot's. Their status changes are left for the running bot to show in Discord (see <see cref="AnswerLogWriter.Terminal"/>).
/// </summary>
internal static partial class ReviewCommand
{
    private const int DefaultListLimit = 20;

    public static Command Create(CliRuntime runtime)
    {
        var db = new Option<string?>("--db")
        {
            Description = $"The SQLite answer log (default: AnswerLog:Path from AnswerLog__Path or ./appsettings.json, else {AnswerLogOptions.DefaultPath}); with AnswerLog__Provider=Postgres the log is AnswerLog__ConnectionString's",
            HelpName = "PATH",
            Recursive = true,
        };
        return new Command("review", "Review logged answers: list, show, export, approve, flag, retract, correct")
        {
            db,
            CreateList(runtime, db),
            CreateShow(runtime, db),
            CreateExport(runtime, db),
            CreateStatusChange(runtime, db, "approve", AnswerStatus.Approved, "Mark an answer approved"),
            CreateStatusChange(runtime, db, "flag", AnswerStatus.Flagged, "Flag an answer for another look"),
            CreateStatusChange(runtime, db, "retract", AnswerStatus.Retracted, "Mark an answer retracted"),
            CreateCorrect(runtime, db),
        };
    }

    /// <summary>The answer-log settings review reads from the environment (<c>AnswerLog__NAME</c>) or appsettings.json.</summary>
    private static readonly string[] Settings =
    [
        nameof(AnswerLogOptions.Provider),
        nameof(AnswerLogOptions.Path),
        nameof(AnswerLogOptions.ConnectionString),
        nameof(AnswerLogOptions.BusyTimeout),
    ];

    /// <summary>
    /// The answer log's settings as the bot's host reads them: <c>AnswerLog__Provider</c>, <c>AnswerLog__Path</c>,
    /// <c>AnswerLog__ConnectionString</c> and <c>AnswerLog__BusyTimeout</c> from the environment over the
    /// <c>AnswerLog</c> section of <c>appsettings.json</c> in the working directory, else the defaults; <c>--db</c>
    /// overrides the path (SQLite only). A relative path is taken from the working directory, as the bot does. A
    /// setting that does not convert or validate is a usage error naming it.
    /// </summary>
    internal static AnswerLogOptions ResolveOptions(CliEnvironment environment, string? dbOption)
    {
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder()
                .SetBasePath(Directory.GetCurrentDirectory())
                .AddJsonFile("appsettings.json", optional: true)
                .Build();
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"appsettings.json cannot be read: {ex.Message}");
        }

        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Settings)
        {
            if (environment.GetEnvironmentVariable($"{AnswerLogOptions.SectionName}__{name}") is { Length: > 0 } value)
            {
                overrides[$"{AnswerLogOptions.SectionName}:{name}"] = value;
            }
        }

        var configuration = new ConfigurationBuilder().AddConfiguration(file).AddInMemoryCollection(overrides).Build();
        var options = new AnswerLogOptions();
        try
        {
            configuration.GetSection(AnswerLogOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's "Failed to convert configuration value at 'AnswerLog:BusyTimeout'…".
            throw new CliUsageException($"{ex.Message.Replace(':', '_')} (AnswerLog__NAME in the environment, or the AnswerLog section of appsettings.json)");
        }

        if (!string.IsNullOrWhiteSpace(dbOption))
        {
            if (options.Provider != AnswerLogProvider.Sqlite)
            {
                throw new CliUsageException($"--db names a SQLite file, but AnswerLog:Provider is {options.Provider}; unset AnswerLog__Provider or drop --db");
            }

            options.Path = dbOption;
        }
        else if (string.IsNullOrWhiteSpace(options.Path))
        {
            options.Path = AnswerLogOptions.DefaultPath;
        }

        var validation = new AnswerLogOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new CliUsageException(string.Join(' ', validation.Failures));
        }

        return options;
    }

    private static Command CreateList(CliRuntime runtime, Option<string?> db)
    {
        var status = new Option<string?>("--status")
        {
            Description = "Only answers in this status",
            HelpName = "STATUS",
        };
        status.AcceptOnlyFromAmong([.. AnswerStatusCodes.All.Select(s => s.Code)]);
        var limit = new Option<int>("--limit")
        {
            Description = $"How many answers to show, newest first (default {DefaultListLimit})",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultListLimit,
        };
        var json = CliOptions.Json("Print each answer as one JSON object on one line, with everything the log holds");
        var command = new Command("list", "List the latest answers, newest first") { status, limit, json };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
            WithLogAsync(invocation, parseResult.GetValue(db), readOnly: true, async (log, _) =>
            {
                var take = parseResult.GetValue(limit);
                if (take <= 0)
                {
                    throw new CliUsageException("--limit must be a positive number (see caravanbot review list --help)");
                }

                var wanted = parseResult.GetValue(status) is { } code ? AnswerStatusCodes.Parse(code) : (AnswerStatus?)null;

                // One more than shown tells whether the list goes on.
                var fetched = await log.ListAsync(wanted, 0, take == int.MaxValue ? take : take + 1, cancellationToken).ConfigureAwait(false);
                var records = fetched.Take(take).ToList();
                if (parseResult.GetValue(json))
                {
                    foreach (var record in records)
                    {
                        invocation.Out.WriteLine(ReviewFormatter.ToJsonLine(record));
                    }
                }
                else
                {
                    ReviewFormatter.WriteTable(invocation.Out, records, wanted);
                }

                if (fetched.Count > take)
                {
                    // On standard error, so the table or the JSON lines on standard output stay as they are.
                    var stats = await log.GetStatsAsync(0, cancellationToken).ConfigureAwait(false);
                    var total = wanted is { } only ? stats.ByStatus.GetValueOrDefault(only) : stats.Total;
                    invocation.Environment.Error.WriteLine($"{records.Count.ToString(CultureInfo.InvariantCulture)} of {Math.Max(total, fetched.Count).ToString(CultureInfo.InvariantCulture)} (--limit N for more)");
                }

                return ExitCodes.Success;
            })));
        return command;
    }

    private static Command CreateShow(CliRuntime runtime, Option<string?> db)
    {
        var id = IdArgument();
        var json = CliOptions.Json("Print the answer as one JSON object on one line");
        var command = new Command("show", "Show everything the log holds about one answer") { id, json };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
            WithLogAsync(invocation, parseResult.GetValue(db), readOnly: true, async (log, path) =>
            {
                var answerId = parseResult.GetValue(id);
                var record = await log.GetAsync(answerId, cancellationToken).ConfigureAwait(false) ?? throw UnknownAnswer(answerId, path);
                if (parseResult.GetValue(json))
                {
                    invocation.Out.WriteLine(ReviewFormatter.ToJsonLine(record));
                }
                else
                {
                    ReviewFormatter.WriteDetails(invocation.Out, record);
                }

                return ExitCodes.Success;
            })));
        return command;
    }

    private static Command CreateExport(CliRuntime runtime, Option<string?> db)
    {
        var format = new Option<string>("--format")
        {
            Description = "csv: one row per answer with a header, for spreadsheets; jsonl: one full record per line",
            HelpName = "FORMAT",
            Required = true,
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--output")
        {
            Description = "Write to PATH, a new regular file (written beside it, moved into place once complete), instead of standard output",
            HelpName = "PATH",
        };
        var force = new Option<bool>("--force") { Description = "Replace PATH when it is an existing regular file" };
        var command = new Command("export", "Export every answer, oldest first") { format, output, force };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
            WithLogAsync(invocation, parseResult.GetValue(db), readOnly: true, (log, path) => ExportAsync(
                invocation, log, path, parseResult.GetValue(format) == "csv", parseResult.GetValue(output), parseResult.GetValue(force), cancellationToken))));
        return command;
    }

    private static Command CreateStatusChange(CliRuntime runtime, Option<string?> db, string name, AnswerStatus status, string description)
    {
        var id = IdArgument();
        var note = new Option<string?>("--note") { Description = "Why, kept in the answer's history", HelpName = "TEXT" };
        var actor = ActorOption();
        var command = new Command(name, description) { id, note, actor };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
        {
            var by = CliActor(parseResult.GetValue(actor), name);
            return WithLogAsync(invocation, parseResult.GetValue(db), readOnly: false, async (log, path) =>
            {
                var answerId = parseResult.GetValue(id);

                // What this change replaced is read in its own transaction: with several moderators at once, each is told the truth.
                var after = await log.ChangeStatusAsync(answerId, status, by, NullIfBlank(parseResult.GetValue(note)), cancellationToken).ConfigureAwait(false)
                    ?? throw UnknownAnswer(answerId, path);
                invocation.Out.WriteLine($"answer {after.Id} is now {after.Status.ToCode()} (was {after.StatusBeforeLastChange.ToCode()}), by {by.Id}");
                return ExitCodes.Success;
            });
        }));
        return command;
    }

    private static Command CreateCorrect(CliRuntime runtime, Option<string?> db)
    {
        var id = IdArgument();
        var text = new Option<string>("--text")
        {
            Description = "The corrected answer, served from now on for this question and ones that mean the same",
            HelpName = "TEXT",
            Required = true,
        };
        var cite = new Option<string[]>("--cite")
        {
            Description = "A quote backing the correction, as \"¶N:exact words\" (or \"N:exact words\"); must be verbatim in paragraph N. Repeatable",
            HelpName = "¶N:QUOTE",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var article = CliOptions.Article(standardInput: false);
        var actor = ActorOption();
        var command = new Command("correct", "Replace an answer with a moderator's correction, quotes checked against the article")
        {
            id, text, cite, article, actor,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
        {
            var by = CliActor(parseResult.GetValue(actor), "correct");
            var correctionText = parseResult.GetValue(text)?.Trim();
            if (string.IsNullOrEmpty(correctionText))
            {
                throw new CliUsageException("--text needs the corrected answer (see caravanbot review correct --help)");
            }

            var cites = (parseResult.GetValue(cite) ?? []).Select(ParseCite).ToList();
            var articlePath = parseResult.GetValue(article);
            if (articlePath == "-")
            {
                throw new CliUsageException("review correct reads the article from a file, not standard input (see caravanbot review correct --help)");
            }

            return WithLogAsync(invocation, parseResult.GetValue(db), readOnly: false, async (log, path) =>
            {
                var answerId = parseResult.GetValue(id);
                var before = await log.GetAsync(answerId, cancellationToken).ConfigureAwait(false) ?? throw UnknownAnswer(answerId, path);

                // Quotes are checked against the article the answer was about, and the correction is
                // served only for that article: the one given must be it. Without quotes the article is
                // not read and the correction keeps the answer's article.
                var recorded = before.Answer.Article;
                List<LoggedCitation> citations = [];
                var correctionArticle = recorded;
                if (cites.Count > 0)
                {
                    var article = invocation.LoadArticle(articlePath);
                    var identity = article.LoggedIdentity();
                    if (recorded is not null && !recorded.SameAs(identity))
                    {
                        throw new CliUsageException(
                            $"answer {answerId} was answered from {recorded.Describe()}, but {article.Source} is {identity.Describe()}; "
                            + "pass the article the bot answered from with --article PATH (see caravanbot review correct --help)");
                    }

                    citations = Verify(cites, article);
                    correctionArticle = identity;
                }

                var correction = new Correction(correctionText, citations, by, DateTimeOffset.UtcNow, correctionArticle);
                var after = await log.CorrectAsync(answerId, correction, cancellationToken).ConfigureAwait(false) ?? throw UnknownAnswer(answerId, path);
                var citing = citations.Count == 0 ? string.Empty : $", citing {string.Join(", ", citations.Select(c => $"¶{c.Paragraph}"))}";
                invocation.Out.WriteLine($"answer {after.Id} is now {after.Status.ToCode()} (was {after.StatusBeforeLastChange.ToCode()}), by {by.Id}{citing}");
                return ExitCodes.Success;
            });
        }));
        return command;
    }

    private static Argument<long> IdArgument() => new("id") { HelpName = "ID", Description = "The answer's id (see caravanbot review list)" };

    private static Option<string?> ActorOption() => new("--as")
    {
        Description = "Who is acting, recorded as cli:NAME (default: your user name)",
        HelpName = "NAME",
    };

    /// <summary>
    /// Opens the configured log, refusing to create one (read-only for the commands that only read), and runs
    /// <paramref name="body"/> with it and a name for messages (the file, or the database). Every failure of the log
    /// is one line and exit 3.
    /// </summary>
    private static async Task<int> WithLogAsync(CliInvocation invocation, string? dbOption, bool readOnly, Func<IAnswerLog, string, Task<int>> body)
    {
        var options = ResolveOptions(invocation.Environment, dbOption);
        await using var opened = Open(invocation, options, readOnly);
        try
        {
            await opened.InitializeAsync().ConfigureAwait(false);
            return await body(opened.Log, opened.Name).ConfigureAwait(false);
        }
        catch (AnswerLogUnavailableException ex)
        {
            throw new CliInputException(ex.Message, ex);
        }
    }

    private static OpenedLog Open(CliInvocation invocation, AnswerLogOptions options, bool readOnly)
    {
        if (options.Provider == AnswerLogProvider.Postgres)
        {
            var postgres = new PostgresAnswerLog(
                Options.Create(options), invocation.Services.GetRequiredService<ILogger<PostgresAnswerLog>>(), timeProvider: null, readOnly, AnswerLogWriter.Terminal)
            {
                RequireExistingLog = true,
            };
            return new OpenedLog(postgres, postgres.Database, postgres.InitializeAsync, postgres.DisposeAsync);
        }

        var path = options.FullPath;
        if (Directory.Exists(path))
        {
            throw new CliInputException($"the answer log {path} is a folder, not a file");
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"no answer log at {path}");
        }

        var sqlite = new SqliteAnswerLog(
            Options.Create(options), invocation.Services.GetRequiredService<ILogger<SqliteAnswerLog>>(), timeProvider: null, readOnly, AnswerLogWriter.Terminal);
        return new OpenedLog(sqlite, path, sqlite.InitializeAsync, sqlite.DisposeAsync);
    }

    private static CliInputException UnknownAnswer(long id, string path) => new($"no answer {id} in the answer log {path}");

    /// <summary>A store opened for one command: the log, what to call it, and how to start and close it.</summary>
    private sealed record OpenedLog(IAnswerLog Log, string Name, Func<CancellationToken, Task> Initialize, Func<ValueTask> Dispose) : IAsyncDisposable
    {
        public Task InitializeAsync() => Initialize(CancellationToken.None);

        public ValueTask DisposeAsync() => Dispose();
    }

    private static Actor CliActor(string? name, string command)
    {
        var who = (name ?? Environment.UserName).Trim();
        if (who.Length == 0 || who.Any(char.IsControl))
        {
            throw new CliUsageException($"--as needs a name (see caravanbot review {command} --help)");
        }

        return new Actor($"cli:{who}", who);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static (int Paragraph, string Quote) ParseCite(string value)
    {
        var match = CitePattern().Match(value);
        var quote = match.Success ? match.Groups["quote"].Value.Trim() : string.Empty;
        if (!match.Success || !int.TryParse(match.Groups["paragraph"].ValueSpan, out var paragraph) || quote.Length == 0)
        {
            throw new CliUsageException($"--cite '{value}' is not ¶N:QUOTE, e.g. --cite \"¶2:exact words\" (see caravanbot review correct --help)");
        }

        return (paragraph, quote);
    }

    /// <summary>Finds each quote in its paragraph; a quote that is not verbatim there is a usage error (exit 2).</summary>
    private static List<LoggedCitation> Verify(IEnumerable<(int Paragraph, string Quote)> cites, Article article)
    {
        var citations = new List<LoggedCitation>();
        foreach (var (number, quote) in cites)
        {
            var paragraph = article.GetParagraph(number)
                ?? throw new CliUsageException($"--cite ¶{number}: {article.Source} has {article.Paragraphs.Count} paragraphs (see caravanbot paragraphs)");
            var start = CitationMinimum.IndexOnWordBoundaries(paragraph.Text, quote);
            if (start < 0)
            {
                var elsewhere = article.Paragraphs.FirstOrDefault(p => CitationMinimum.IndexOnWordBoundaries(p.Text, quote) >= 0);
                var hint = elsewhere is null ? "quote it exactly, whole words (see caravanbot paragraphs)" : $"it is in ¶{elsewhere.Number}";
                throw new CliUsageException($"--cite ¶{number}: “{quote}” is not verbatim in ¶{number} of {article.Source}; {hint}");
            }

            if (!CitationMinimum.IsMet(paragraph, start, start + quote.Length))
            {
                throw new CliUsageException(
                    $"--cite ¶{number}: “{quote}” is too short to check; quote at least {CitationMinimum.MinimumWords} whole words or a whole sentence");
            }

            citations.Add(new LoggedCitation(number, quote, start, start + quote.Length));
        }

        return citations;
    }

    private static async Task<int> ExportAsync(
        CliInvocation invocation, IAnswerLog log, string databasePath, bool csv, string? outputPath, bool force, CancellationToken cancellationToken)
    {
        if (outputPath is null)
        {
            await WriteExportAsync(invocation.Out, log, csv, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var target = Path.GetFullPath(outputPath);
        CheckOutput(target, databasePath, force);

        // Written to a new file beside the target and moved over it at the end, so an interrupted export
        // never leaves half a file and nothing is ever written through whatever sits at the target.
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            int count;
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // Spreadsheets read a CSV as UTF-8 only when it starts with a byte-order mark.
                await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: csv));
                count = await WriteExportAsync(writer, log, csv, cancellationToken).ConfigureAwait(false);
            }

            // Checked again just before the move: something may have appeared at the target meanwhile.
            CheckOutput(target, databasePath, force);
            File.Move(temporary, target, overwrite: force);
            invocation.Out.WriteLine($"exported {count} answer{(count == 1 ? string.Empty : "s")} to {target}");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"cannot write {target}: {ex.Message}", ex);
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    /// <summary>
    /// Refuses an export target that is the answer log (or its WAL, shared-memory or journal file), that is
    /// anything but a regular file (a folder, a symbolic link, a FIFO, a device), or that exists when
    /// <paramref name="force"/> was not given.
    /// </summary>
    private static void CheckOutput(string target, string databasePath, bool force)
    {
        string[] logFiles = [databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal"];
        if (logFiles.Any(file => string.Equals(file, target, StringComparison.Ordinal) || (File.Exists(file) && File.Exists(target) && LocalFile.SameFile(file, target))))
        {
            throw new CliUsageException($"--output {target} is the answer log itself; export to another file");
        }

        var kind = LocalFile.KindOf(target);
        switch (kind)
        {
            case LocalFileKind.Missing:
                return;
            case LocalFileKind.Regular when force:
                return;
            case LocalFileKind.Regular:
                throw new CliUsageException($"--output {target} exists; add --force to replace it (see caravanbot review export --help)");
            default:
                var what = kind switch
                {
                    LocalFileKind.Directory => "a folder",
                    LocalFileKind.SymbolicLink => "a symbolic link",
                    _ => "a device, FIFO or socket",
                };
                throw new CliUsageException($"--output {target} is {what}, not a regular file; export to a regular file");
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The export's own error (a missing folder, say) is the one worth reporting.
        }
    }

    private static async Task<int> WriteExportAsync(TextWriter writer, IAnswerLog log, bool csv, CancellationToken cancellationToken)
    {
        if (csv)
        {
            ReviewFormatter.WriteCsvHeader(writer);
        }

        var count = 0;
        await foreach (var record in log.ExportAsync(cancellationToken).ConfigureAwait(false))
        {
            if (csv)
            {
                ReviewFormatter.WriteCsvRow(writer, record);
            }
            else
            {
                writer.Write(ReviewFormatter.ToJsonLine(record));
                writer.Write('\n');
            }

            count++;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    [GeneratedRegex(@"^\s*¶?\s*(?<paragraph>\d{1,6})\s*:(?<quote>.*)$", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CitePattern();
}
