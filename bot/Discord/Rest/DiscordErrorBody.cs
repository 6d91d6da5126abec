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
    private const int MaxCountedErrors = 1000;

    // What a log line or an exception message carries of Discord's text: enough to act on, never a whole body.
    private const int MaxMessageLength = 300;
    private const int MaxSummaryLength = 1000;

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

    /// <summary>Reads what it can; never throws (a field of the wrong type is left out).</summary>
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
                Code = Number(root, "code") is { } code && code >= int.MinValue && code <= int.MaxValue && code == Math.Floor(code) ? (int)code : null,
                Message = root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? Bounded(message.GetString()!, MaxMessageLength) : null,
                ErrorsSummary = root.TryGetProperty("errors", out var errors) ? Summarise(errors) : null,
                RetryAfter = Number(root, "retry_after") is { } seconds ? RateLimitHeaders.ParseSeconds(seconds.ToString("R", CultureInfo.InvariantCulture)) : null,
                Global = root.TryGetProperty("global", out var global) && global.ValueKind == JsonValueKind.True,
            };
        }
        catch (JsonException)
        {
            return new DiscordErrorBody();
        }
    }

    /// <summary>A number, or a string holding one (<c>"retry_after": "0.5"</c>); null for anything else.</summary>
    private static double? Number(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => number,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) => parsed,
            _ => null,
        };
    }

    private static string Bounded(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");

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

        return Bounded(summary.ToString(), MaxSummaryLength);
    }

    private static void Walk(JsonElement element, string path, List<string> entries)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (entries.Count >= MaxCountedErrors)
            {
                return;
            }

            if (property.NameEquals("_errors") && property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in property.Value.EnumerateArray())
                {
                    var code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) ? Bounded(c.ToString(), 64) : null;
                    var message = Bounded(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString(), 200);
                    var where = path.Length == 0 ? "(body)" : Bounded(path, 200);
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
