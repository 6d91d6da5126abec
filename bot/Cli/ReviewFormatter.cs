using System.Globalization;
using System.Text;
using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// What <c>caravanbot review</c> prints: a table and a detail view for people, one JSON object per
/// line for scripts, and RFC 4180 CSV for spreadsheets.
/// </summary>
internal static class ReviewFormatter
{
    private const int QuestionColumns = 48;
    private const int AskerColumns = 18;
    private const string Label = "{0,-13}";

    /// <summary>The CSV columns, in order.</summary>
    public static IReadOnlyList<string> CsvColumns { get; } =
    [
        "id", "at", "status", "source", "guild_id", "channel_id", "asker_id", "asker_name", "question", "answered", "reason",
        "answer", "citations", "mode", "latency_ms", "served_correction_of", "reply_channel_id", "reply_message_id",
        "review_message_id", "upvotes", "downvotes", "history", "correction", "correction_citations", "corrected_by",
        "corrected_at", "scores",
    ];

    /// <summary>One line per answer: id, time (UTC), status, asker, question (shortened), outcome, 👍, 👎.</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<AnswerRecord> records, AnswerStatus? status)
    {
        if (records.Count == 0)
        {
            output.WriteLine(status is { } only ? $"No {only.ToCode()} answers." : "No answers logged yet.");
            return;
        }

        string[] header = ["ID", "TIME (UTC)", "STATUS", "ASKER", "QUESTION", "RESULT", "👍", "👎"];
        var rows = records.Select(r => new[]
        {
            r.Id.ToString(CultureInfo.InvariantCulture),
            r.Answer.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            r.Status.ToCode(),
            Shorten(r.Answer.Asker.Name, AskerColumns),
            Shorten(r.Answer.Question, QuestionColumns),
            Outcome(r.Answer),
            r.Upvotes.ToString(CultureInfo.InvariantCulture),
            r.Downvotes.ToString(CultureInfo.InvariantCulture),
        }).ToList();

        var widths = header.Select((h, column) => rows.Max(row => DisplayWidth(row[column])) is var w && w > DisplayWidth(h) ? w : DisplayWidth(h)).ToArray();
        bool[] rightAligned = [true, false, false, false, false, false, true, true];
        foreach (var row in rows.Prepend(header))
        {
            var line = new StringBuilder();
            for (var column = 0; column < row.Length; column++)
            {
                var padding = new string(' ', widths[column] - DisplayWidth(row[column]));
                if (column > 0)
                {
                    line.Append("  ");
                }

                line.Append(rightAligned[column] ? padding + row[column] : row[column] + padding);
            }

            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>Everything about one answer, labelled, one fact per line.</summary>
    public static void WriteDetails(TextWriter output, AnswerRecord record)
    {
        var answer = record.Answer;
        output.WriteLine($"Answer {record.Id} · {record.Status.ToCode()}");
        var where = string.Join(", ", new[] { answer.GuildId is null ? null : $"guild {answer.GuildId}", answer.ChannelId is null ? null : $"channel {answer.ChannelId}" }.OfType<string>());
        Field(output, "Asked", $"{Time(answer.At)} by {Who(answer.Asker)} via {answer.Source}{(where.Length > 0 ? $" in {where}" : string.Empty)}");
        Field(output, "Question", answer.Question);
        Field(output, "Article", answer.Article is { } article ? $"{article.Title} ({article.ContentHash})" : "(not recorded)");
        Field(output, "Outcome", string.Create(
            CultureInfo.InvariantCulture,
            $"{(answer.Answered ? "answered" : $"abstained ({answer.Reason ?? "no reason given"})")} · mode {answer.Mode} · {answer.LatencyMs:0.#} ms"));
        Field(output, "Answer", answer.AnswerText.Length == 0 ? "(empty)" : answer.AnswerText);
        Field(output, "Citations", answer.Citations.Count == 0 ? "(none)" : string.Join('\n', answer.Citations.Select(Citation)));
        Field(output, "Scores", answer.ScoresJson);
        if (answer.ServedCorrectionOf is { } corrected)
        {
            Field(output, "Serves", $"the correction of answer {corrected}");
        }

        Field(output, "Reply", record.ReplyMessageId is null ? "(not recorded)" : $"message {record.ReplyMessageId} in channel {record.ReplyChannelId}");
        Field(output, "Review card", record.ReviewMessageId is null ? "(not posted)" : $"message {record.ReviewMessageId}");
        Field(output, "History", record.History.Count == 0
            ? "(no changes: new)"
            : string.Join('\n', record.History.Select(c => $"{Time(c.At)} {c.Status.ToCode()} by {Who(c.By)}{(c.Note is null ? string.Empty : $": {c.Note}")}")));
        if (record.Correction is { } correction)
        {
            var lines = new List<string> { $"{Time(correction.At)} by {Who(correction.By)}{(correction.Article is { } about ? $", for {about.ContentHash}" : string.Empty)}", correction.Text };
            lines.AddRange(correction.Citations.Select(Citation));
            Field(output, "Correction", string.Join('\n', lines));
        }
        else
        {
            Field(output, "Correction", "(none)");
        }

        var votes = new List<string> { $"👍 {record.Upvotes}  👎 {record.Downvotes}" };
        votes.AddRange(record.Feedback.Select(v =>
            $"{(v.Vote > 0 ? "👍" : "👎")} {Who(v.Voter)} {Time(v.At)}{(v.Reason is null ? string.Empty : $": {v.Reason}")}"));
        Field(output, "Feedback", string.Join('\n', votes));
    }

    /// <summary>The record as one JSON line (the <c>--json</c> and <c>export --format jsonl</c> shape).</summary>
    public static string ToJsonLine(AnswerRecord record) => AnswerFormatter.JsonLine(json => WriteJson(json, record));

    /// <summary>Writes the CSV header line.</summary>
    public static void WriteCsvHeader(TextWriter output) => WriteCsvLine(output, CsvColumns);

    /// <summary>Writes one answer as a CSV line with the columns of <see cref="CsvColumns"/>.</summary>
    public static void WriteCsvRow(TextWriter output, AnswerRecord record)
    {
        var answer = record.Answer;
        var correction = record.Correction;
        WriteCsvLine(output,
        [
            Number(record.Id),
            Iso(answer.At),
            record.Status.ToCode(),
            Text(answer.Source),
            Text(answer.GuildId),
            Text(answer.ChannelId),
            Text(answer.Asker.Id),
            Text(answer.Asker.Name),
            Text(answer.Question),
            answer.Answered ? "true" : "false",
            Text(answer.Reason),
            Text(answer.AnswerText),
            Text(string.Join('\n', answer.Citations.Select(c => $"¶{c.Paragraph}: {c.Quote}"))),
            Text(answer.Mode),
            AnswerFormatter.Milliseconds(answer.LatencyMs).ToString(CultureInfo.InvariantCulture),
            answer.ServedCorrectionOf is { } served ? Number(served) : string.Empty,
            Text(record.ReplyChannelId),
            Text(record.ReplyMessageId),
            Text(record.ReviewMessageId),
            Number(record.Upvotes),
            Number(record.Downvotes),
            Text(string.Join('\n', record.History.Select(c => $"{Iso(c.At)} {c.Status.ToCode()} by {c.By.Id} ({c.By.Name}){(c.Note is null ? string.Empty : $": {c.Note}")}"))),
            Text(correction?.Text),
            Text(correction is null ? null : string.Join('\n', correction.Citations.Select(c => $"¶{c.Paragraph}: {c.Quote}"))),
            Text(correction?.By.Id),
            correction is null ? string.Empty : Iso(correction.At),
            Text(answer.ScoresJson),
        ]);
    }

    private static void WriteJson(Utf8JsonWriter json, AnswerRecord record)
    {
        var answer = record.Answer;
        json.WriteStartObject();
        json.WriteNumber("id", record.Id);
        json.WriteString("at", Iso(answer.At));
        json.WriteString("status", record.Status.ToCode());
        json.WriteString("source", answer.Source);
        WriteStringOrNull(json, "guild_id", answer.GuildId);
        WriteStringOrNull(json, "channel_id", answer.ChannelId);
        WriteActor(json, "asker", answer.Asker);
        json.WriteString("question", answer.Question);
        WriteArticle(json, answer.Article);
        json.WriteBoolean("answered", answer.Answered);
        WriteStringOrNull(json, "reason", answer.Reason);
        json.WriteString("answer", answer.AnswerText);
        WriteCitations(json, "citations", answer.Citations);

        // Stored only after it parsed as JSON, so it is embedded as the object it is.
        json.WritePropertyName("scores");
        json.WriteRawValue(answer.ScoresJson, skipInputValidation: false);
        json.WriteString("mode", answer.Mode);
        json.WriteNumber("latency_ms", AnswerFormatter.Milliseconds(answer.LatencyMs));
        if (answer.ServedCorrectionOf is { } served)
        {
            json.WriteNumber("served_correction_of", served);
        }
        else
        {
            json.WriteNull("served_correction_of");
        }

        WriteStringOrNull(json, "reply_channel_id", record.ReplyChannelId);
        WriteStringOrNull(json, "reply_message_id", record.ReplyMessageId);
        WriteStringOrNull(json, "review_message_id", record.ReviewMessageId);
        json.WriteStartArray("history");
        foreach (var change in record.History)
        {
            json.WriteStartObject();
            json.WriteString("status", change.Status.ToCode());
            WriteActor(json, "by", change.By);
            json.WriteString("at", Iso(change.At));
            WriteStringOrNull(json, "note", change.Note);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (record.Correction is { } correction)
        {
            json.WriteStartObject("correction");
            json.WriteString("text", correction.Text);
            WriteCitations(json, "citations", correction.Citations);
            WriteArticle(json, correction.Article);
            WriteActor(json, "by", correction.By);
            json.WriteString("at", Iso(correction.At));
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("correction");
        }

        json.WriteStartArray("feedback");
        foreach (var vote in record.Feedback)
        {
            json.WriteStartObject();
            WriteActor(json, "voter", vote.Voter);
            json.WriteNumber("vote", vote.Vote);
            WriteStringOrNull(json, "reason", vote.Reason);
            json.WriteString("at", Iso(vote.At));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("upvotes", record.Upvotes);
        json.WriteNumber("downvotes", record.Downvotes);
        json.WriteEndObject();
    }

    /// <summary>The article an answer or correction is about, <c>{"hash": "sha256:…", "title": "…"}</c>, or null when not recorded.</summary>
    private static void WriteArticle(Utf8JsonWriter json, LoggedArticle? article)
    {
        if (article is null)
        {
            json.WriteNull("article");
            return;
        }

        json.WriteStartObject("article");
        json.WriteString("hash", article.ContentHash);
        json.WriteString("title", article.Title);
        json.WriteEndObject();
    }

    private static void WriteActor(Utf8JsonWriter json, string name, Actor actor)
    {
        json.WriteStartObject(name);
        json.WriteString("id", actor.Id);
        json.WriteString("name", actor.Name);
        json.WriteEndObject();
    }

    private static void WriteCitations(Utf8JsonWriter json, string name, IReadOnlyList<LoggedCitation> citations)
    {
        json.WriteStartArray(name);
        foreach (var citation in citations)
        {
            json.WriteStartObject();
            json.WriteNumber("paragraph", citation.Paragraph);
            json.WriteString("quote", citation.Quote);
            json.WriteNumber("start", citation.Start);
            json.WriteNumber("end", citation.End);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>One RFC 4180 record: fields with a comma, quote or line break are quoted (quotes doubled); lines end in CRLF.</summary>
    private static void WriteCsvLine(TextWriter output, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                output.Write('"');
                output.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                output.Write('"');
            }
            else
            {
                output.Write(field);
            }
        }

        output.Write("\r\n");
    }

    /// <summary>A free-text cell, safe for spreadsheets (see <see cref="CsvCell"/>).</summary>
    private static string Text(string? value) => CsvCell.Neutralise(value);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Who(Actor actor) => $"{actor.Name} ({actor.Id})";

    private static string Citation(LoggedCitation citation) =>
        string.Create(CultureInfo.InvariantCulture, $"¶{citation.Paragraph} [{citation.Start}–{citation.End}] “{citation.Quote}”");

    private static string Outcome(NewAnswer answer) => answer.Answered ? "answered" : answer.Reason ?? "abstained";

    /// <summary>
    /// A labelled field; continuation lines are indented under the first. Readers wrote much of what is
    /// shown, so control characters and bidirectional controls show as <see cref="VisibleText.Marker"/>.
    /// </summary>
    private static void Field(TextWriter output, string label, string value)
    {
        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(VisibleText.Quote).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            output.WriteLine((string.Format(CultureInfo.InvariantCulture, Label, i == 0 ? label : string.Empty) + lines[i]).TrimEnd());
        }
    }

    /// <summary><paramref name="text"/> on one line, cut to <paramref name="columns"/> terminal columns with an ellipsis.</summary>
    private static string Shorten(string text, int columns)
    {
        var line = CliText.OneLine(text);
        if (DisplayWidth(line) <= columns)
        {
            return line;
        }

        var shortened = new StringBuilder();
        var width = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var runeWidth = RuneWidth(rune);
            if (width + runeWidth > columns - 1)
            {
                break;
            }

            shortened.Append(rune.ToString());
            width += runeWidth;
        }

        return shortened.ToString().TrimEnd() + "…";
    }

    /// <summary>Terminal columns: wide East Asian characters and emoji take two, combining marks none.</summary>
    private static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            width += RuneWidth(rune);
        }

        return width;
    }

    private static int RuneWidth(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        var value = rune.Value;
        var wide = value is >= 0x1100 and <= 0x115F
            or >= 0x2E80 and <= 0xA4CF
            or >= 0xAC00 and <= 0xD7A3
            or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F
            or >= 0xFF00 and <= 0xFF60
            or >= 0xFFE0 and <= 0xFFE6
            or >= 0x1F300 and <= 0x1FAFF
            or >= 0x20000 and <= 0x3FFFD;
        return wide ? 2 : 1;
    }
}
