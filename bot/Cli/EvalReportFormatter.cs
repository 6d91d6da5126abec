using System.Globalization;
using System.Text.Json;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Evaluation;

namespace CaravanBot.Bot.Cli;

/// <summary>Prints an <see cref="EvalReport"/> as a table for people or one JSON object for scripts.</summary>
internal static class EvalReportFormatter
{
    private const int QuoteShownInTable = 90;

    private static readonly string[] Headings =
    [
        "article", "questions", "exp. answers", "correct", "exp. abstain", "correct", "accuracy", "fidelity", "p50 ms", "p95 ms",
    ];

    public static void WriteTable(TextWriter output, EvalReport report, string source)
    {
        output.WriteLine($"Evaluation of {report.Total.Questions} questions from {source}");
        output.WriteLine();

        var rows = report.Articles.Append(report.Total).Select(Cells).ToList();
        var widths = Headings.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Row(Headings, widths));
        foreach (var row in rows)
        {
            output.WriteLine(Row(row, widths));
        }

        if (report.Categories.Count > 0)
        {
            output.WriteLine();
            var categoryRows = report.Categories.Select(Cells).ToList();
            var categoryHeadings = Headings.Select((h, i) => i == 0 ? "category" : h).ToArray();
            var categoryWidths = categoryHeadings.Select((h, i) => Math.Max(h.Length, categoryRows.Max(r => r[i].Length))).ToArray();
            output.WriteLine(Row(categoryHeadings, categoryWidths));
            foreach (var row in categoryRows)
            {
                output.WriteLine(Row(row, categoryWidths));
            }
        }

        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Abstention reasons matched: {report.Total.ReasonsMatched} of {report.Total.ReasonsExpected} labelled with a reason."));

        var failures = report.Failures;
        output.WriteLine();
        output.WriteLine(failures.Count == 0 ? "No failures." : $"Failures ({failures.Count}):");
        foreach (var failure in failures)
        {
            output.WriteLine($"  {failure.Case.Id}  {Quoted(failure.Case.Question)}");
            output.WriteLine($"      expected: {Expected(failure.Case)}");
            output.WriteLine($"      got:      {Got(failure, QuoteShownInTable)}");
        }
    }

    public static string ToJson(EvalReport report, string source) => AnswerFormatter.JsonLine(json =>
    {
        json.WriteStartObject();
        json.WriteString("questions_file", source);
        json.WriteNumber("accuracy", Rate(report.Accuracy));
        json.WriteStartArray("articles");
        foreach (var figures in report.Articles)
        {
            WriteFigures(json, figures);
        }

        json.WriteEndArray();
        json.WriteStartArray("categories");
        foreach (var figures in report.Categories)
        {
            WriteFigures(json, figures);
        }

        json.WriteEndArray();
        json.WritePropertyName("total");
        WriteFigures(json, report.Total);
        json.WriteStartArray("failures");
        foreach (var failure in report.Failures)
        {
            WriteFailure(json, failure);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteFigures(Utf8JsonWriter json, EvalFigures figures)
    {
        json.WriteStartObject();
        json.WriteString("article", figures.Article);
        json.WriteNumber("questions", figures.Questions);
        json.WriteNumber("expected_answers", figures.ExpectedAnswers);
        json.WriteNumber("correct_answers", figures.CorrectAnswers);
        json.WriteNumber("expected_abstentions", figures.ExpectedAbstentions);
        json.WriteNumber("correct_abstentions", figures.CorrectAbstentions);
        json.WriteNumber("reasons_expected", figures.ReasonsExpected);
        json.WriteNumber("reasons_matched", figures.ReasonsMatched);
        json.WriteNumber("accuracy", Rate(figures.Accuracy));
        json.WriteNumber("citations", figures.Citations);
        json.WriteNumber("verified_citations", figures.VerifiedCitations);
        if (figures.QuoteFidelity is { } fidelity)
        {
            json.WriteNumber("quote_fidelity", Rate(fidelity));
        }
        else
        {
            json.WriteNull("quote_fidelity");
        }

        json.WriteNumber("latency_p50_ms", AnswerFormatter.Milliseconds(figures.LatencyP50Ms));
        json.WriteNumber("latency_p95_ms", AnswerFormatter.Milliseconds(figures.LatencyP95Ms));
        json.WriteEndObject();
    }

    private static void WriteFailure(Utf8JsonWriter json, EvalCaseResult failure)
    {
        var evalCase = failure.Case;
        json.WriteStartObject();
        json.WriteString("id", evalCase.Id);
        json.WriteString("article", evalCase.Article);
        json.WriteString("question", evalCase.Question);
        if (evalCase.Category is null)
        {
            json.WriteNull("category");
        }
        else
        {
            json.WriteString("category", evalCase.Category);
        }

        if (evalCase.ExpectsAbstention)
        {
            json.WriteString("expected", "abstain");
        }
        else
        {
            json.WriteStartArray("expected");
            foreach (var phrase in evalCase.ExpectedPhrases)
            {
                json.WriteStringValue(phrase);
            }

            json.WriteEndArray();
        }

        json.WriteString("outcome", OutcomeCode(failure.Outcome));
        json.WriteString("got", Got(failure, int.MaxValue));
        json.WriteStartArray("missing");
        foreach (var phrase in failure.MissingPhrases)
        {
            json.WriteStringValue(phrase);
        }

        json.WriteEndArray();
        json.WritePropertyName("reply");
        AnswerFormatter.WriteJsonObject(json, failure.Answer);
        json.WriteEndObject();
    }

    private static string[] Cells(EvalFigures f) =>
    [
        f.Article,
        Number(f.Questions),
        Number(f.ExpectedAnswers),
        Number(f.CorrectAnswers),
        Number(f.ExpectedAbstentions),
        Number(f.CorrectAbstentions),
        Percent(f.Accuracy),
        f.QuoteFidelity is { } fidelity ? Percent(fidelity) : "n/a",
        f.LatencyP50Ms.ToString("0.0", CultureInfo.InvariantCulture),
        f.LatencyP95Ms.ToString("0.0", CultureInfo.InvariantCulture),
    ];

    private static string Row(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();

    private static string Expected(EvalCase evalCase) => evalCase.ExpectsAbstention
        ? evalCase.ExpectedReason is { } reason ? $"abstain ({reason.ToCode()})" : "abstain"
        : string.Join(", ", evalCase.ExpectedPhrases.Select(Quoted));

    private static string Got(EvalCaseResult result, int quoteLength)
    {
        var answer = result.Answer;
        if (!answer.Answered)
        {
            return answer.Reason is { } reason ? $"abstained ({reason.ToCode()})" : "abstained";
        }

        var quotes = answer.Citations.Count == 0
            ? "answered with no quotes"
            : "answered " + string.Join("; ", answer.Citations.Select(c => $"¶{c.Paragraph} “{Shorten(c.Quote, quoteLength)}”"));
        return result.MissingPhrases.Count == 0
            ? quotes
            : $"{quotes}; missing {string.Join(", ", result.MissingPhrases.Select(Quoted))}";
    }

    private static string OutcomeCode(EvalOutcome outcome) => outcome switch
    {
        EvalOutcome.CorrectAnswer => "correct_answer",
        EvalOutcome.CorrectAbstention => "correct_abstention",
        EvalOutcome.IncompleteAnswer => "incomplete_answer",
        EvalOutcome.MissedAnswer => "missed_answer",
        EvalOutcome.UnwantedAnswer => "unwanted_answer",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static string Quoted(string text) => "\"" + CliText.OneLine(text) + "\"";

    private static string Shorten(string text, int length) =>
        text.Length <= length ? CliText.OneLine(text) : CliText.OneLine(text[..length]) + "…";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static double Rate(double value) => Math.Round(value, 4);
}
