using System.Text.Json;
using System.Text.Json.Serialization;

namespace CaravanBot.Retrieval.Llm;

/// <summary>The JSON the model must return (also the JSON schema sent as structured output).</summary>
/// <param name="Answered">False when the paragraphs do not say what was asked.</param>
/// <param name="Answer">One or two short sentences answering the question.</param>
/// <param name="Quotes">Verbatim quotes supporting the answer.</param>
public sealed record LlmReply(
    [property: JsonPropertyName("answered")] bool Answered,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("quotes")] IReadOnlyList<LlmQuote> Quotes)
{
    /// <summary>
    /// Parses the model's output, rejecting anything that is not exactly the expected shape (extra or
    /// missing properties, wrong types): a reply that does not follow the format is not trusted at all.
    /// A single Markdown code fence around the JSON is tolerated, since local models add one even in JSON mode.
    /// </summary>
    public static LlmReply? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var json = StripFence(text.Trim());
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !HasExactly(root, "answered", "answer", "quotes"))
            {
                return null;
            }

            var answered = root.GetProperty("answered");
            var answer = root.GetProperty("answer");
            var quotes = root.GetProperty("quotes");
            if (answered.ValueKind is not (JsonValueKind.True or JsonValueKind.False)
                || answer.ValueKind != JsonValueKind.String
                || quotes.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var parsed = new List<LlmQuote>();
            foreach (var quote in quotes.EnumerateArray())
            {
                if (quote.ValueKind != JsonValueKind.Object
                    || !HasExactly(quote, "paragraph", "quote")
                    || quote.GetProperty("paragraph").ValueKind != JsonValueKind.Number
                    || !quote.GetProperty("paragraph").TryGetInt32(out var paragraph)
                    || quote.GetProperty("quote").ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                parsed.Add(new LlmQuote(paragraph, quote.GetProperty("quote").GetString()!));
            }

            return new LlmReply(answered.GetBoolean(), answer.GetString()!, parsed);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool HasExactly(JsonElement element, params string[] names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name, StringComparer.Ordinal) || !seen.Add(property.Name))
            {
                return false;
            }
        }

        return seen.Count == names.Length;
    }

    private static string StripFence(string text)
    {
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
        {
            return text;
        }

        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 ? text : text[(firstLineEnd + 1)..^3].Trim();
    }
}

/// <summary>One quote the model says supports its answer.</summary>
/// <param name="Paragraph">The ¶ number the quote claims to come from.</param>
/// <param name="Quote">The quoted text, possibly shortened with an ellipsis.</param>
public sealed record LlmQuote(
    [property: JsonPropertyName("paragraph")] int Paragraph,
    [property: JsonPropertyName("quote")] string Quote);
