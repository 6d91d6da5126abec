using System.Text.Json;

namespace CaravanBot.FakeDiscord;

/// <summary>One request as <see cref="FakeRestServer"/> received it, recorded on arrival.</summary>
public sealed class RecordedRequest
{
    /// <summary>The prefix every Discord API v10 path starts with.</summary>
    public const string ApiPrefix = "/api/v10";

    private JsonElement? _json;

    /// <summary>Creates a record (the server does; tests may, to feed <see cref="DiscordSchema"/> hand-made bodies).</summary>
    public RecordedRequest(
        string method,
        string path,
        string body,
        IReadOnlyDictionary<string, string>? headers = null,
        string query = "",
        TimeSpan receivedAt = default,
        long sequence = 0)
    {
        Method = method.ToUpperInvariant();
        Path = path;
        Body = body;
        Headers = headers is null
            ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        Query = query;
        ReceivedAt = receivedAt;
        Sequence = sequence;
    }

    /// <summary>Arrival order, from 1.</summary>
    public long Sequence { get; }

    /// <summary><c>GET</c>, <c>POST</c>, <c>PATCH</c>, <c>PUT</c>, <c>DELETE</c>.</summary>
    public string Method { get; }

    /// <summary>The full path as sent, e.g. <c>/api/v10/channels/1/messages</c> (may contain an interaction token).</summary>
    public string Path { get; }

    /// <summary>The path below <see cref="ApiPrefix"/>, e.g. <c>/channels/1/messages</c>; null when the path is not under it.</summary>
    public string? ApiPath => Path.StartsWith(ApiPrefix + "/", StringComparison.Ordinal) ? Path[ApiPrefix.Length..] : null;

    /// <summary>The query string including <c>?</c>, or empty.</summary>
    public string Query { get; }

    /// <summary>Request headers (case-insensitive names; repeated values joined with ", ").</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The raw body, empty when there was none.</summary>
    public string Body { get; }

    /// <summary>Arrival time on the server's monotonic clock (since the server started): compare requests with it.</summary>
    public TimeSpan ReceivedAt { get; }

    /// <summary>The status the server answered with (0: connection dropped); null while a scripted delay is still running.</summary>
    public int? ResponseStatus { get; internal set; }

    /// <summary>When the server started writing its answer, on the same clock as <see cref="ReceivedAt"/>; null until then.</summary>
    public TimeSpan? RespondedAt { get; internal set; }

    /// <summary>The body parsed as JSON.</summary>
    /// <exception cref="InvalidOperationException">There is no body.</exception>
    public JsonElement Json
    {
        get
        {
            if (_json is null)
            {
                if (Body.Length == 0)
                {
                    throw new InvalidOperationException($"{Method} {Path} has no body.");
                }

                using var document = JsonDocument.Parse(Body);
                _json = document.RootElement.Clone();
            }

            return _json.Value;
        }
    }

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Whether this is <paramref name="method"/> on an API path matching <paramref name="apiPathTemplate"/> (<c>{x}</c> matches one segment).</summary>
    public bool Is(string method, string apiPathTemplate) =>
        string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)
        && ApiPath is { } apiPath
        && RouteTemplate.Matches(apiPathTemplate, apiPath);

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Method} {Path} → {ResponseStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "…"} at {ReceivedAt.TotalMilliseconds:0} ms";
}

/// <summary>Matching of concrete paths against templates such as <c>/channels/{channel_id}/messages</c>.</summary>
public static class RouteTemplate
{
    /// <summary>True when each segment of <paramref name="path"/> equals the template's, or the template's is a <c>{placeholder}</c>.</summary>
    public static bool Matches(string template, string path) => Captures(template, path) is not null;

    /// <summary>The placeholder values when <paramref name="path"/> matches <paramref name="template"/>, else null.</summary>
    public static IReadOnlyDictionary<string, string>? Captures(string template, string path)
    {
        var templateSegments = template.Trim('/').Split('/');
        var pathSegments = path.Trim('/').Split('/');
        if (templateSegments.Length != pathSegments.Length)
        {
            return null;
        }

        var captures = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < templateSegments.Length; i++)
        {
            var expected = templateSegments[i];
            if (expected.StartsWith('{') && expected.EndsWith('}'))
            {
                if (pathSegments[i].Length == 0)
                {
                    return null;
                }

                captures[expected[1..^1]] = Uri.UnescapeDataString(pathSegments[i]);
            }
            else if (!string.Equals(expected, pathSegments[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return captures;
    }

    /// <summary>How many segments are literal: the more, the more specific (<c>@original</c> beats <c>{message_id}</c>).</summary>
    public static int Specificity(string template) =>
        template.Trim('/').Split('/').Count(segment => !segment.StartsWith('{'));
}
