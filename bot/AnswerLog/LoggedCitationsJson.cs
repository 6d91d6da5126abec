using System.Text.Encodings.Web;
using System.Text.Json;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// How every store keeps citations in their JSON columns: <c>[{"paragraph":2,"quote":"…","start":0,"end":12}]</c>,
/// the same text in SQLite and PostgreSQL, so an export reads the same from either.
/// </summary>
public static class LoggedCitationsJson
{
    // Relaxed escaping keeps "López" and curly quotes readable to anyone opening the log with sqlite3 or psql.
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The citations as stored.</summary>
    public static string Serialize(IReadOnlyList<LoggedCitation> citations) =>
        JsonSerializer.Serialize(citations, Options);

    /// <summary>Stored citations read back.</summary>
    /// <exception cref="JsonException">The column does not hold citations.</exception>
    public static IReadOnlyList<LoggedCitation> Deserialize(string json) =>
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
