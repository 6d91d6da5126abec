using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Discord's JSON error body: <c>{"code": 50035, "message": "Invalid Form Body", "errors": {…}}</c>, and
/// on a 429 <c>{"message", "retry_after", "global"}</c>. Read leniently: a proxy or Cloudflare may answer
/// with HTML or nothing at all.
/// </summary>
internal sealed record DiscordErrorBody
{
    private const int MaxSummarisedErrors = 10;

    /// <summary>Discord's JSON error code (<c>code</c>), e.g. 50035, 50013, 40060.</summary>
    public int? Code { get; init; }

    /// <summary>Discord's message, e.g. "Invalid Form Body".</summary>
    public string? Message { get; init; }

    /// <summary>The nested <c>errors</c> object flattened to "path: message (CODE)" entries.</summary>
    public string? ErrorsSummary { get; init; }

    /// <summary>429: seconds to wait.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>429: the bot-wide limit was hit.</summary>
    public bool Global { get; init; }

    public static DiscordErrorBody Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return new DiscordErrorBody();
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new DiscordErrorBody();
            }

            return new DiscordErrorBody
            {
                Code = root.TryGetProperty("code", out var code) && code.TryGetInt32(out var number) ? number : null,
                Message = root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null,
                ErrorsSummary = root.TryGetProperty("errors", out var errors) ? Summarise(errors) : null,
                RetryAfter = root.TryGetProperty("retry_after", out var retry) && retry.TryGetDouble(out var seconds) && seconds >= 0 && double.IsFinite(seconds)
                    ? TimeSpan.FromSeconds(seconds)
                    : null,
                Global = root.TryGetProperty("global", out var global) && global.ValueKind == JsonValueKind.True,
            };
        }
        catch (JsonException)
        {
            return new DiscordErrorBody();
        }
    }

    /// <summary>
    /// Flattens <c>{"embeds": {"0": {"title": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "…"}]}}}}</c>
    /// to <c>embeds.0.title: … (BASE_TYPE_MAX_LENGTH)</c>, so the exception says which field was wrong.
    /// </summary>
    private static string? Summarise(JsonElement errors)
    {
        var entries = new List<string>();
        Walk(errors, string.Empty, entries);
        if (entries.Count == 0)
        {
            return null;
        }

        var summary = new StringBuilder();
        summary.AppendJoin("; ", entries.Take(MaxSummarisedErrors));
        if (entries.Count > MaxSummarisedErrors)
        {
            summary.Append(CultureInfo.InvariantCulture, $"; and {entries.Count - MaxSummarisedErrors} more");
        }

        return summary.ToString();
    }

    private static void Walk(JsonElement element, string path, List<string> entries)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.NameEquals("_errors") && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in property.Value.EnumerateArray())
                {
                    var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) ? c.ToString() : null;
                    var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString();
                    var where = path.Length == 0 ? "(body)" : path;
                    entries.Add(code is null ? $"{where}: {message}" : $"{where}: {message} ({code})");
                }
            }
            else
            {
                Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", entries);
            }
        }
    }
}
