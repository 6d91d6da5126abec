using System.Text;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Tests.AnswerLog;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class ReviewCommandTests : IAsyncLifetime
{
    private static readonly Actor Mo = new("900", "Moderator Mo");

    private readonly CliHarness _cli = new();
    private SqliteAnswerLog _log = null!;
    private string _database = null!;

    public Task InitializeAsync()
    {
        _database = Path.Combine(_cli.BaseDirectory, "data", "answers.db");
        _log = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = _database }), NullLogger<SqliteAnswerLog>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    [Fact]
    public async Task List_shows_the_latest_answers_newest_first_as_a_table()
    {
        var (answered, abstained, corrected) = await SeedAsync();
        var longQuestion = await _log.RecordAsync(SampleAnswers.Answered("Why " + string.Concat(Enumerable.Repeat("really ", 20)) + "now?", 9));

        var result = await _cli.RunAsync("review", "list", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(string.Empty, result.Stderr);
        var lines = result.StdoutLines;
        Assert.Equal(["ID", "TIME", "(UTC)", "STATUS", "ASKER", "QUESTION", "RESULT", "👍", "👎"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(5, lines.Length);
        Assert.StartsWith($"{longQuestion}  ", lines[1].TrimStart(), StringComparison.Ordinal);
        Assert.Contains("Why really really", lines[1], StringComparison.Ordinal);
        Assert.Contains("…", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("now?", lines[1], StringComparison.Ordinal);
        Assert.Matches($@"^\s*{corrected}\s+2025-01-03 10:03\s+corrected\s+Reader 3\s+Where did families sleep\?\s+answered\s+0\s+0$", lines[2]);
        Assert.Matches($@"^\s*{abstained}\s+2025-01-03 10:02\s+new\s+Reader 2\s+Who won the match\?\s+off_topic\s+0\s+0$", lines[3]);
        Assert.Matches($@"^\s*{answered}\s+2025-01-03 10:01\s+flagged\s+Reader 1\s+What does Mexico want\?\s+answered\s+1\s+2$", lines[4]);

        // Columns line up: each emoji header is two columns (and two UTF-16 units) wide, like the counts under it.
        Assert.All(lines.Skip(1), line => Assert.Equal(lines[0].Length, line.Length));
    }

    [Fact]
    public async Task List_filters_by_status_and_limits()
    {
        var (answered, _, corrected) = await SeedAsync();

        var flagged = await _cli.RunAsync("review", "list", "--status", "flagged", "--db", _database);
        var limited = await _cli.RunAsync("review", "--db", _database, "list", "--limit", "1");
        var none = await _cli.RunAsync("review", "list", "--status", "retracted", "--db", _database);

        Assert.Equal(ExitCodes.Success, flagged.ExitCode);
        Assert.Equal(2, flagged.StdoutLines.Length);
        Assert.StartsWith($"{answered} ", flagged.StdoutLines[1].TrimStart(), StringComparison.Ordinal);
        Assert.Equal(2, limited.StdoutLines.Length);
        Assert.StartsWith($"{corrected} ", limited.StdoutLines[1].TrimStart(), StringComparison.Ordinal);
        Assert.Equal(["No retracted answers."], none.StdoutLines);
    }

    [Fact]
    public async Task List_says_how_many_more_there_are_when_the_limit_cuts_it_short()
    {
        for (var i = 0; i < 22; i++)
        {
            await _log.RecordAsync(SampleAnswers.Answered($"question {i}?", i));
        }

        var cut = await _cli.RunAsync("review", "list", "--db", _database);
        var all = await _cli.RunAsync("review", "list", "--limit", "22", "--db", _database);
        var json = await _cli.RunAsync("review", "list", "--json", "--limit", "5", "--db", _database);

        Assert.Equal(21, cut.StdoutLines.Length);
        Assert.Equal("20 of 22 (--limit N for more)", cut.Stderr.Trim());
        Assert.Equal(23, all.StdoutLines.Length);
        Assert.Equal(string.Empty, all.Stderr);
        Assert.Equal(5, json.JsonLines().Length);
        Assert.Equal("5 of 22 (--limit N for more)", json.Stderr.Trim());
    }

    [Fact]
    public async Task List_json_prints_one_full_record_per_line()
    {
        var (answered, abstained, corrected) = await SeedAsync();

        var result = await _cli.RunAsync("review", "list", "--json", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.JsonLines();
        Assert.Equal([corrected, abstained, answered], lines.Select(l => l.GetProperty("id").GetInt64()));
        var first = lines[2];
        Assert.Equal("flagged", first.GetProperty("status").GetString());
        Assert.Equal("What does Mexico want?", first.GetProperty("question").GetString());
        Assert.Equal(2, first.GetProperty("citations")[0].GetProperty("paragraph").GetInt32());
        Assert.Equal(0.81, first.GetProperty("scores").GetProperty("dense").GetDouble());
        Assert.Equal((1, 2), (first.GetProperty("upvotes").GetInt32(), first.GetProperty("downvotes").GetInt32()));
        Assert.Equal("cli:alice", first.GetProperty("history")[0].GetProperty("by").GetProperty("id").GetString());
        Assert.Equal("off_topic", lines[1].GetProperty("reason").GetString());
        Assert.Equal("Tapachula, on Christmas Day.", lines[0].GetProperty("correction").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Show_prints_everything_the_log_holds()
    {
        var (answered, _, _) = await SeedAsync();
        await _log.SetReplyAsync(answered, "222", "333");
        await _log.SetReviewMessageAsync(answered, "444");

        var result = await _cli.RunAsync("review", "show", answered.ToString(System.Globalization.CultureInfo.InvariantCulture), "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var text = result.Stdout;
        Assert.StartsWith($"Answer {answered} · flagged\n", text, StringComparison.Ordinal);
        string[] expected =
        [
            "Asked        2025-01-03 10:01:00Z by Reader 1 (1001) via slash in guild 111, channel 222",
            "Question     What does Mexico want?",
            "Outcome      answered · mode extractive · 120.5 ms",
            "Answer       Here is what the article says:",
            "Citations    ¶2 [0–51] “Mexico wants sanctions on Cuba and Venezuela lifted”",
            "Scores       {\"dense\":0.81,\"lexical\":0.4}",
            "Reply        message 333 in channel 222",
            "Review card  message 444",
            "approved by alice (cli:alice): quotes check out",
            "flagged by Moderator Mo (900)",
            "Feedback     👍 1  👎 2",
            "👎 Ben (2002)",
            ": wrong paragraph",
        ];
        Assert.All(expected, line => Assert.Contains(line, text, StringComparison.Ordinal));
        Assert.Contains("Correction   (none)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_includes_the_correction_with_its_spans()
    {
        var (_, _, corrected) = await SeedAsync();

        var result = await _cli.RunAsync("review", "show", $"{corrected}", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Correction   ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Tapachula, on Christmas Day.", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("¶3 [0–35] “Families slept on scraps of plastic”", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("corrected by Moderator Mo (900)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_csv_parses_back_to_one_row_per_answer()
    {
        var (answered, abstained, corrected) = await SeedAsync();
        var tricky = await _log.RecordAsync(SampleAnswers.Answered("=HYPERLINK(\"x\"), really?\nSecond line, “quoted”", 4) with
        {
            Asker = new Actor("77", "O'Brien, \"Bo\""),
        });

        var result = await _cli.RunAsync("review", "export", "--format", "csv", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("\r\n", result.Stdout, StringComparison.Ordinal);
        var rows = Csv.Parse(result.Stdout);
        Assert.Equal(ReviewFormatter.CsvColumns, rows[0]);
        Assert.All(rows, row => Assert.Equal(rows[0].Count, row.Count));
        var byColumn = rows.Skip(1).Select(row => rows[0].Zip(row).ToDictionary(p => p.First, p => p.Second)).ToList();
        Assert.Equal([answered, abstained, corrected, tricky], byColumn.Select(r => long.Parse(r["id"], System.Globalization.CultureInfo.InvariantCulture)));
        var first = byColumn[0];
        Assert.Equal("flagged", first["status"]);
        Assert.Equal("What does Mexico want?", first["question"]);
        Assert.Equal("true", first["answered"]);
        Assert.Equal("¶2: Mexico wants sanctions on Cuba and Venezuela lifted", first["citations"]);
        Assert.Equal(("1", "2"), (first["upvotes"], first["downvotes"]));
        Assert.Contains("approved by cli:alice (alice): quotes check out", first["history"], StringComparison.Ordinal);
        Assert.Equal("2025-01-03T10:01:00.0000000+00:00", first["at"]);
        Assert.Equal(("false", "off_topic"), (byColumn[1]["answered"], byColumn[1]["reason"]));
        Assert.Equal(("corrected", "Tapachula, on Christmas Day."), (byColumn[2]["status"], byColumn[2]["correction"]));
        Assert.Equal("¶3: Families slept on scraps of plastic", byColumn[2]["correction_citations"]);

        // Commas, quotes and line breaks survive; a formula is defused for spreadsheets.
        Assert.Equal("'=HYPERLINK(\"x\"), really?\nSecond line, “quoted”", byColumn[3]["question"]);
        Assert.Equal("O'Brien, \"Bo\"", byColumn[3]["asker_name"]);
    }

    [Fact]
    public async Task Export_jsonl_writes_one_record_per_line_to_a_file()
    {
        var (answered, abstained, corrected) = await SeedAsync();
        var output = Path.Combine(_cli.BaseDirectory, "export.jsonl");

        var result = await _cli.RunAsync("review", "export", "--format", "jsonl", "--output", output, "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal([$"exported 3 answers to {output}"], result.StdoutLines);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.NotEqual(0xEF, bytes[0]);
        var lines = new CliResult(0, Encoding.UTF8.GetString(bytes), string.Empty).JsonLines();
        Assert.Equal([answered, abstained, corrected], lines.Select(l => l.GetProperty("id").GetInt64()));
        Assert.Equal(3, lines[0].GetProperty("feedback").GetArrayLength());
        Assert.Equal("corrected", lines[2].GetProperty("status").GetString());
        Assert.Empty(Directory.GetFiles(_cli.BaseDirectory, "*.tmp"));
    }

    [Fact]
    public async Task Export_csv_to_a_file_starts_with_a_byte_order_mark_for_spreadsheets()
    {
        await SeedAsync();
        var output = Path.Combine(_cli.BaseDirectory, "export.csv");

        var result = await _cli.RunAsync("review", "export", "--format", "csv", "--output", output, "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var bytes = await File.ReadAllBytesAsync(output);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(4, Csv.Parse(Encoding.UTF8.GetString(bytes[3..])).Count);
    }

    [Theory]
    [InlineData("approve", AnswerStatus.Approved)]
    [InlineData("flag", AnswerStatus.Flagged)]
    [InlineData("retract", AnswerStatus.Retracted)]
    public async Task Moderators_change_the_status_from_the_terminal_as_cli_name(string command, AnswerStatus status)
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync("review", command, $"{id}", "--note", "seen on the desk", "--as", "alice", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal([$"answer {id} is now {status.ToCode()} (was new), by cli:alice"], result.StdoutLines);
        var record = await _log.GetAsync(id);
        Assert.Equal(status, record?.Status);
        var change = Assert.Single(record!.History);
        Assert.Equal((status, new Actor("cli:alice", "alice"), "seen on the desk"), (change.Status, change.By, change.Note));
        Assert.InRange(change.At, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Without_as_the_actor_is_the_OS_user()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync("review", "approve", $"{id}", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(new Actor($"cli:{Environment.UserName}", Environment.UserName), Assert.Single((await _log.GetAsync(id))!.History).By);
    }

    [Fact]
    public async Task Correct_stores_the_text_and_quotes_found_verbatim_in_their_paragraphs()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync(
            "review", "correct", $"{id}", "--text", "Mexico asked for aid for the region.",
            "--cite", "¶2:“development aid” for the region", "--cite", "3:slept on scraps of plastic in Tapachula", "--as", "bo", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal([$"answer {id} is now corrected (was new), by cli:bo, citing ¶2, ¶3"], result.StdoutLines);
        var record = await _log.GetAsync(id);
        Assert.Equal(AnswerStatus.Corrected, record?.Status);
        Assert.Equal("Mexico asked for aid for the region.", record?.Correction?.Text);
        Assert.Equal(new Actor("cli:bo", "bo"), record?.Correction?.By);
        var paragraphs = CliHarness.DefaultArticle.Split('\n');
        var aid = paragraphs[1].IndexOf("“development aid”", StringComparison.Ordinal);
        const string slept = "slept on scraps of plastic in Tapachula";
        var tapachula = paragraphs[2].IndexOf(slept, StringComparison.Ordinal);
        Assert.Equal(
            [
                new LoggedCitation(2, "“development aid” for the region", aid, aid + "“development aid” for the region".Length),
                new LoggedCitation(3, slept, tapachula, tapachula + slept.Length),
            ],
            record?.Correction?.Citations);
        Assert.True(aid > 0 && tapachula > 0);
    }

    [Fact]
    public async Task Correct_without_quotes_does_not_need_the_article()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync("review", "correct", $"{id}", "--text", "See ¶3.", "--article", "missing.txt", "--as", "bo", "--db", _database);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Empty((await _log.GetAsync(id))!.Correction!.Citations);
    }

    [Theory]
    [InlineData("¶2:development aid for Cuba", "is not verbatim in ¶2")]
    [InlineData("¶2:Families slept", "it is in ¶3")]
    [InlineData("¶2:mexico wants", "is not verbatim in ¶2")]
    [InlineData("¶9:Mexico", "has 4 paragraphs")]
    [InlineData("Mexico wants", "is not ¶N:QUOTE")]
    [InlineData("¶2:   ", "is not ¶N:QUOTE")]
    [InlineData("¶2:a", "is not verbatim in ¶2")]
    [InlineData("¶2:Mexico wants", "is too short to check")]
    [InlineData("¶2:exico wants sanctions on Cuba and", "is not verbatim in ¶2")]
    public async Task A_cited_quote_that_is_not_verbatim_is_refused_with_exit_2_and_nothing_changes(string cite, string expected)
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync("review", "correct", $"{id}", "--text", "Better.", "--cite", cite, "--as", "bo", "--db", _database);

        var line = result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        var record = await _log.GetAsync(id);
        Assert.Equal(AnswerStatus.New, record?.Status);
        Assert.Null(record?.Correction);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("show", "1")]
    [InlineData("export", "--format", "csv")]
    [InlineData("approve", "1")]
    [InlineData("flag", "1")]
    [InlineData("retract", "1")]
    [InlineData("correct", "1", "--text", "x")]
    public async Task A_missing_log_is_exit_3_and_no_file_is_created(params string[] args)
    {
        var missing = Path.Combine(_cli.BaseDirectory, "nowhere", "answers.db");

        var result = await _cli.RunAsync(["review", .. args, "--db", missing]);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Equal($"caravanbot: no answer log at {missing}", line);
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Theory]
    [InlineData("show")]
    [InlineData("approve", "--as", "bo")]
    [InlineData("flag", "--note", "why")]
    [InlineData("retract")]
    [InlineData("correct", "--text", "x", "--cite", "¶2:Mexico")]
    public async Task An_unknown_id_is_exit_3_with_one_line(string command, params string[] more)
    {
        await _log.RecordAsync(SampleAnswers.Answered());

        var result = await _cli.RunAsync(["review", command, "42", .. more, "--db", _database]);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Equal($"caravanbot: no answer 42 in the answer log {_database}", line);
    }

    [Fact]
    public async Task The_default_log_comes_from_AnswerLog__Path()
    {
        var id = await _log.RecordAsync(SampleAnswers.Answered());
        _cli.Variables["AnswerLog__Path"] = _database;

        var result = await _cli.RunAsync("review", "show", $"{id}", "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(id, Assert.Single(result.JsonLines()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_log_from_a_newer_CaravanBot_is_exit_3()
    {
        await _log.InitializeAsync();
        await _log.DisposeAsync();
        SqliteConnection.ClearAllPools();
        AnswerLogFolder.Execute(_database, $"PRAGMA user_version = {AnswerLogMigrations.LatestVersion + 1};");

        var result = await _cli.RunAsync("review", "list", "--db", _database);

        var line = result.AssertOneLineError(ExitCodes.InputUnavailable);
        Assert.Contains("newer than this CaravanBot understands", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("review needs a command: list, show, export, approve, flag, retract, correct (see caravanbot review --help)", "review")]
    [InlineData("unknown command 'frob': the review commands are", "review", "frob")]
    [InlineData("(see caravanbot review list --help)", "review", "list", "--status", "bogus")]
    [InlineData("--limit must be a positive number", "review", "list", "--limit", "0")]
    [InlineData("(see caravanbot review show --help)", "review", "show", "abc")]
    [InlineData("(see caravanbot review export --help)", "review", "export")]
    [InlineData("(see caravanbot review correct --help)", "review", "correct", "1")]
    [InlineData("unknown option '--bogus' (see caravanbot review approve --help)", "review", "approve", "1", "--bogus")]
    public async Task Usage_errors_are_exit_2_and_name_the_subcommand(string expected, params string[] args)
    {
        await _log.InitializeAsync();

        var result = await _cli.RunAsync([.. args, "--db", _database]);

        var line = result.AssertOneLineError(ExitCodes.Usage);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    /// <summary>
    /// A flagged answer with 1 👍 and 2 👎 (approved by cli:alice, then flagged by Mo), an abstention,
    /// and a corrected answer citing ¶3.
    /// </summary>
    private async Task<(long Answered, long Abstained, long Corrected)> SeedAsync()
    {
        var answered = await _log.RecordAsync(SampleAnswers.Answered());
        await _log.ChangeStatusAsync(answered, AnswerStatus.Approved, new Actor("cli:alice", "alice"), "quotes check out");
        await _log.ChangeStatusAsync(answered, AnswerStatus.Flagged, Mo, null);
        await _log.VoteAsync(answered, new Actor("2001", "Ana"), 1, null);
        await _log.VoteAsync(answered, new Actor("2002", "Ben"), -1, "wrong paragraph");
        await _log.VoteAsync(answered, new Actor("2003", "Cy"), -1, null);
        var abstained = await _log.RecordAsync(SampleAnswers.Abstained("Who won the match?", "off_topic", 2));
        var corrected = await _log.RecordAsync(SampleAnswers.Answered("Where did families sleep?", 3));
        await _log.CorrectAsync(corrected, new Correction(
            "Tapachula, on Christmas Day.",
            [new LoggedCitation(3, "Families slept on scraps of plastic", 0, 35)],
            Mo,
            SampleAnswers.Start.AddHours(1)));
        return (answered, abstained, corrected);
    }

    /// <summary>A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF.</summary>
    private static class Csv
    {
        public static List<List<string>> Parse(string text)
        {
            var rows = new List<List<string>>();
            var row = new List<string>();
            var field = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                if (text[i] == '"' && field.Length == 0)
                {
                    i++;
                    while (true)
                    {
                        Assert.True(i < text.Length, "unterminated quoted field");
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        field.Append(text[i++]);
                    }

                    Assert.True(i == text.Length || text[i] is ',' or '\r', $"text after a closing quote at {i}");
                }
                else if (text[i] == ',')
                {
                    row.Add(field.ToString());
                    field.Clear();
                    i++;
                }
                else if (text[i] == '\r')
                {
                    Assert.True(i + 1 < text.Length && text[i + 1] == '\n', "a bare CR ends no record");
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add(row);
                    row = [];
                    i += 2;
                }
                else
                {
                    Assert.True(text[i] is not ('"' or '\n'), $"unquoted {(text[i] == '"' ? "quote" : "line break")} at {i}");
                    field.Append(text[i++]);
                }
            }

            Assert.True(row.Count == 0 && field.Length == 0, "the last record must end in CRLF");
            return rows;
        }
    }
}
