using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Tests.AnswerLog;
using CaravanBot.Retrieval.Answering;
using Microsoft.Data.Sqlite;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// ESC, BEL, NUL, the information separators U+001C–U+001F and bidirectional overrides can clear a
/// terminal, set its title or reorder what a reader sees. Whatever the model, a reader or an article
/// puts in an answer, no command prints them raw; inside a quote a visible marker shows where one sat.
/// </summary>
public sealed class OutputSafetyTests : IAsyncLifetime
{
    private const string Hostile = "\u001B]0;pwned\u0007\u001B[2J\u0000\u001C\u001D\u001E\u001F\u202Etxt.exe\u202C\u2066x\u2069";
    private const string QuoteWithOverride = "Mexico wants \u202Eaid\u202C for the region";

    private readonly CliHarness _cli = new();
    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _folder.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Ask_prints_no_control_character_or_bidi_override_and_marks_where_one_sat_in_a_quote()
    {
        _cli.Answerers.Override = question => new Answer
        {
            Question = question,
            Answered = true,
            Text = "Mexico" + Hostile + " wants aid.",
            Citations = [new Citation(2, QuoteWithOverride, 0, QuoteWithOverride.Length)],
            Mode = AnswerMode.Llm,
        };

        var result = await _cli.RunAsync("ask", "What does Mexico want" + Hostile + "?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        AssertTerminalSafe(result.Stdout);
        Assert.Contains("Mexico wants \uFFFDaid\uFFFD for the region", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_json_escapes_bidi_overrides_and_keeps_the_quote_exact()
    {
        _cli.Answerers.Override = question => new Answer
        {
            Question = question,
            Answered = true,
            Text = "Lead" + Hostile,
            Citations = [new Citation(2, QuoteWithOverride, 0, QuoteWithOverride.Length)],
        };

        var result = await _cli.RunAsync("ask", "--json", "Why" + Hostile + "?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        AssertTerminalSafe(result.Stdout);
        var json = Assert.Single(result.JsonLines());
        Assert.Equal(QuoteWithOverride, json.GetProperty("citations")[0].GetProperty("quote").GetString());
        Assert.Equal("Why" + Hostile + "?", json.GetProperty("question").GetString());
    }

    [Fact]
    public async Task Chat_and_paragraphs_print_no_control_character_or_bidi_override()
    {
        var article = _cli.WriteFile("hostile.txt", "Headline\u202E reversed\nMexico wants \u202Eaid\u202C for the region.\n");
        _cli.Answerers.Override = question => new Answer { Question = question, Answered = false, Reason = AbstentionReason.NotInArticle, Text = "No" + Hostile, Citations = [] };

        var chat = await _cli.RunWithInputAsync("Why?\n", "chat", "--article", article);
        var paragraphs = await _cli.RunAsync("paragraphs", "--article", article);

        AssertTerminalSafe(chat.Stdout + chat.Stderr);
        AssertTerminalSafe(paragraphs.Stdout);
        Assert.Contains("¶2 Mexico wants \uFFFDaid\uFFFD for the region.", paragraphs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paragraphs_verbose_prints_the_pages_metadata_and_dropped_blocks_without_control_characters_or_bidi_overrides()
    {
        const string Override = "\u202E";
        const string TitleSequence = "\u001B]0;pwned\u0007";
        // The real reader: the page's metadata and dropped blocks are what is printed (the embedding model is never loaded).
        using var cli = new CliHarness { UseRealEngine = true };
        var page = cli.WriteFile("hostile.html", $"""
            <html><head><meta property="og:site_name" content="The {Override}Daily">
            <link rel="canonical" href="https://herald.example/a{TitleSequence}b"></head>
            <body><article><h1>Ferry fares rise</h1>
            <p>By Jane {Override}Doe</p>
            <p>The harbour authority confirmed on Monday that ferry fares will rise by five per cent from April.</p>
            <p>Season tickets for commuters will cost £40 more a year, and the cheapest single fare goes up.</p>
            <p>Share this {Override}on facebook</p>
            </article></body></html>
            """);

        var result = await cli.RunAsync("paragraphs", "--verbose", "--article", page);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        AssertTerminalSafe(result.Stderr);
        Assert.Contains("publisher: The Daily", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("By Jane Doe", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_show_list_and_csv_export_print_no_control_character_or_bidi_override()
    {
        var database = _folder.DefaultDatabase;
        var log = _folder.Open(database);
        var id = await log.RecordAsync(SampleAnswers.Answered("Why" + Hostile + "?") with
        {
            Asker = new Actor("1", "Eve" + Hostile),
            AnswerText = "Lead" + Hostile,
            Citations = [new LoggedCitation(2, QuoteWithOverride, 0, QuoteWithOverride.Length)],
        });
        await log.ChangeStatusAsync(id, AnswerStatus.Flagged, new Actor("cli:mo", "Mo"), "note" + Hostile);
        await log.DisposeAsync();
        SqliteConnection.ClearAllPools();

        var show = await _cli.RunAsync("review", "show", $"{id}", "--db", database);
        var list = await _cli.RunAsync("review", "list", "--db", database);
        var csv = await _cli.RunAsync("review", "export", "--format", "csv", "--db", database);
        var jsonl = await _cli.RunAsync("review", "export", "--format", "jsonl", "--db", database);

        Assert.Equal(ExitCodes.Success, show.ExitCode);
        AssertTerminalSafe(show.Stdout);
        AssertTerminalSafe(list.Stdout);
        AssertTerminalSafe(csv.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
        AssertTerminalSafe(jsonl.Stdout);
        Assert.Contains("Mexico wants \uFFFDaid\uFFFD for the region", show.Stdout, StringComparison.Ordinal);
        using var record = JsonDocument.Parse(jsonl.StdoutLines[0]);
        Assert.Equal("Why" + Hostile + "?", record.RootElement.GetProperty("question").GetString());
    }

    [Theory]
    [InlineData("\0=1+1")]
    [InlineData("\n=1+1")]
    [InlineData(" =1+1")]
    [InlineData("\u00A0=1+1")]
    [InlineData("＝1+1")]
    [InlineData("＋1")]
    [InlineData("=1+1")]
    public async Task Csv_cells_that_a_spreadsheet_could_run_start_with_an_apostrophe(string question)
    {
        var log = _folder.Open(_folder.DefaultDatabase);
        await log.RecordAsync(SampleAnswers.Answered(question));
        await log.DisposeAsync();
        SqliteConnection.ClearAllPools();

        var csv = await _cli.RunAsync("review", "export", "--format", "csv", "--db", _folder.DefaultDatabase);

        Assert.Equal(ExitCodes.Success, csv.ExitCode);
        var row = csv.Stdout.Split("\r\n")[1];
        // The question follows the asker's name ("Reader 1"): its cell starts with the apostrophe, quoted or not.
        Assert.True(row.Contains("Reader 1,'", StringComparison.Ordinal) || row.Contains("Reader 1,\"'", StringComparison.Ordinal), row);
    }

    [Fact]
    public async Task Error_lines_carry_no_bidi_override()
    {
        var result = await _cli.RunAsync("ask", "--article", "missing\u202Etxt.exe", "Why?");

        Assert.Equal(ExitCodes.InputUnavailable, result.ExitCode);
        AssertTerminalSafe(result.Stderr);
    }

    private static void AssertTerminalSafe(string output)
    {
        var bad = output.Where(c => (char.IsControl(c) && c != '\n') || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069').ToArray();
        Assert.True(bad.Length == 0, $"raw {string.Join(", ", bad.Select(c => $"U+{(int)c:X4}"))} in: {output}");
    }
}
