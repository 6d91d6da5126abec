using System.Globalization;
using System.Net.Http.Headers;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>The <c>X-RateLimit-*</c> headers of one response; every field is absent when Discord did not send it.</summary>
internal sealed record RateLimitHeaders
{
    /// <summary><c>X-RateLimit-Bucket</c>: an opaque hash shared by routes that share a limit.</summary>
    public string? Bucket { get; init; }

    /// <summary><c>X-RateLimit-Limit</c>.</summary>
    public int? Limit { get; init; }

    /// <summary><c>X-RateLimit-Remaining</c>.</summary>
    public int? Remaining { get; init; }

    /// <summary><c>X-RateLimit-Reset-After</c> (fractional seconds).</summary>
    public TimeSpan? ResetAfter { get; init; }

    /// <summary><c>X-RateLimit-Reset</c> (epoch seconds, fractional).</summary>
    public DateTimeOffset? Reset { get; init; }

    /// <summary><c>X-RateLimit-Global</c>: the 429 is the bot-wide limit.</summary>
    public bool Global { get; init; }

    /// <summary><c>X-RateLimit-Scope</c>: <c>user</c>, <c>global</c> or <c>shared</c>.</summary>
    public string? Scope { get; init; }

    /// <summary><c>Retry-After</c> (whole seconds on Discord; also sent by Cloudflare without a JSON body).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static RateLimitHeaders From(HttpResponseHeaders headers) => new()
    {
        Bucket = Single(headers, "X-RateLimit-Bucket"),
        Limit = ParseInt(Single(headers, "X-RateLimit-Limit")),
        Remaining = ParseInt(Single(headers, "X-RateLimit-Remaining")),
        ResetAfter = ParseSeconds(Single(headers, "X-RateLimit-Reset-After")),
        Reset = ParseSeconds(Single(headers, "X-RateLimit-Reset")) is { } epoch ? DateTimeOffset.UnixEpoch + epoch : null,
        Global = string.Equals(Single(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase),
        Scope = Single(headers, "X-RateLimit-Scope"),
        RetryAfter = headers.RetryAfter?.Delta ?? ParseSeconds(Single(headers, "Retry-After")),
    };

    /// <summary>
    /// When the bucket's window ends, seen from <paramref name="now"/>. Reset-After is preferred: it is
    /// relative, so a skewed local clock does not matter; the absolute Reset is the fallback.
    /// </summary>
    public DateTimeOffset? ResetAt(DateTimeOffset now) =>
        ResetAfter is { } after ? now + after : Reset;

    private static string? Single(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static TimeSpan? ParseSeconds(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
