using System.Text.Encodings.Web;
using System.Text.Json;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>How citations are stored in their JSON columns: <c>[{"paragraph":2,"quote":"…","start":0,"end":12}]</c>.</summary>
internal static class AnswerLogJson
{
    // Relaxed escaping keeps "López" and curly quotes readable to anyone opening the file with sqlite3.
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string SerializeCitations(IReadOnlyList<LoggedCitation> citations) =>
        JsonSerializer.Serialize(citations, Options);

    public static IReadOnlyList<LoggedCitation> DeserializeCitations(string json) =>
        JsonSerializer.Deserialize<LoggedCitation[]>(json, Options) ?? [];

    /// <summary>True when <paramref name="json"/> is one well-formed JSON value.</summary>
    public static bool IsValid(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
