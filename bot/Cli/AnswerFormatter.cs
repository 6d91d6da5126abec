using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Turns an <see cref="Answer"/> into what the command line prints: a readable block for people,
/// or one JSON object per line for scripts.
/// </summary>
internal static class AnswerFormatter
{
    // Relaxed escaping keeps "López" and curly quotes readable in UTF-8; control characters, quotes,
    // backslashes and U+2028/2029 are still escaped, so every line stays valid JSON.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>
    /// The lead-in then one <c>&gt; “quote” (¶n)</c> block per citation (a quote with quotation marks of
    /// its own at either end keeps only those, see <see cref="QuoteMarks"/>); for an abstention, its message.
    /// Nothing a terminal acts on is printed: the lead-in loses control characters and bidirectional
    /// controls, and a quote shows <see cref="VisibleText.Marker"/> where one sat.
    /// </summary>
    public static string ToReadable(Answer answer)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(answer.Text))
        {
            text.Append(VisibleText.Plain(answer.Text).Trim()).Append('\n');
        }

        foreach (var citation in answer.Citations)
        {
            var (open, close) = QuoteMarks.For(citation.Quote);
            // A quote that spans lines stays inside one quote block.
            var lines = citation.Quote.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(VisibleText.Quote).ToArray();
            for (var i = 0; i < lines.Length; i++)
            {
                text.Append("> ");
                if (i == 0)
                {
                    text.Append(open);
                }

                text.Append(lines[i]);
                if (i == lines.Length - 1)
                {
                    text.Append(close).Append(" (¶").Append(citation.Paragraph).Append(')');
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>Writes <see cref="ToReadable"/> to <paramref name="writer"/>.</summary>
    public static void WriteReadable(TextWriter writer, Answer answer) => writer.Write(ToReadable(answer));

    /// <summary>
    /// The answer as one JSON line with keys in this order: question, answered, reason, answer,
    /// citations (paragraph, quote, start, end), latency_ms.
    /// </summary>
    public static string ToJsonLine(Answer answer) => JsonLine(json => WriteJsonObject(json, answer));

    /// <summary>Writes the answer object of <see cref="ToJsonLine"/> into a larger document.</summary>
    public static void WriteJsonObject(Utf8JsonWriter json, Answer answer)
    {
        json.WriteStartObject();
        json.WriteString("question", answer.Question);
        json.WriteBoolean("answered", answer.Answered);
        if (answer.Reason is { } reason)
        {
            json.WriteString("reason", reason.ToCode());
        }
        else
        {
            json.WriteNull("reason");
        }

        json.WriteString("answer", answer.Text);
        json.WriteStartArray("citations");
        foreach (var citation in answer.Citations)
        {
            json.WriteStartObject();
            json.WriteNumber("paragraph", citation.Paragraph);
            json.WriteString("quote", citation.Quote);
            json.WriteNumber("start", citation.Start);
            json.WriteNumber("end", citation.End);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("latency_ms", Milliseconds(answer.LatencyMs));
        json.WriteEndObject();
    }

    /// <summary>Writes <see cref="ToJsonLine"/> and a newline.</summary>
    public static void WriteJsonLine(TextWriter writer, Answer answer) => writer.WriteLine(ToJsonLine(answer));

    /// <summary>
    /// Runs <paramref name="write"/> on a compact, relaxed-escaping JSON writer and returns the text.
    /// Invisible format characters (bidirectional overrides, zero-width characters) are written as
    /// <c>\uXXXX</c> escapes: the relaxed encoder leaves them raw, and raw they reorder a terminal line.
    /// </summary>
    public static string JsonLine(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(json);
        }

        return EscapeFormatCharacters(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>
    /// Format characters can only stand inside JSON strings (the structure is ASCII), where <c>\uXXXX</c>
    /// means the same character, so escaping them afterwards changes no value.
    /// </summary>
    private static string EscapeFormatCharacters(string json)
    {
        if (!json.Any(IsFormat))
        {
            return json;
        }

        var escaped = new StringBuilder(json.Length + 16);
        foreach (var c in json)
        {
            if (IsFormat(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static bool IsFormat(char c) => c > '\u007F' && System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format;

    /// <summary>Milliseconds rounded to 3 decimals; JSON has no NaN or infinity, so those become 0.</summary>
    public static double Milliseconds(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;
}
