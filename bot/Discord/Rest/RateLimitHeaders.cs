using System.Globalization;
using System.Net.Http.Headers;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// The <c>X-RateLimit-*</c> headers of one response; every field is absent when Discord did not send it, or sent
/// something the client cannot use (not a number, negative, infinite, or a duration or time further than a day
/// away, such as <c>Reset-After: 1e300</c> or a millisecond <c>Reset</c>). Those are listed in <see cref="Ignored"/>.
/// </summary>
internal sealed record RateLimitHeaders
{
    /// <summary>
    /// No rate limit of Discord's lasts longer than a day; a value beyond that is a broken or hostile header, and
    /// honouring it would hold a channel indefinitely (or overflow the clock).
    /// </summary>
    private static readonly TimeSpan LongestPlausible = TimeSpan.FromDays(1);

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

    /// <summary>Names of rate-limit headers that were present but unusable, for one debug line.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>True when the response carried none of the bucket headers.</summary>
    public bool IsEmpty => Bucket is null && Limit is null && Remaining is null && ResetAfter is null && Reset is null;

    public static RateLimitHeaders From(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var ignored = new List<string>();
        var resetEpoch = Seconds(headers, "X-RateLimit-Reset", ignored, maximum: TimeSpan.MaxValue);
        DateTimeOffset? reset = null;
        if (resetEpoch is { } epoch)
        {
            // Epoch seconds near now; milliseconds (a thousand times larger) or a date years away are not.
            if (epoch.TotalSeconds < (now - LongestPlausible).ToUnixTimeSeconds() || epoch.TotalSeconds > (now + LongestPlausible).ToUnixTimeSeconds())
            {
                ignored.Add("X-RateLimit-Reset");
            }
            else
            {
                reset = DateTimeOffset.UnixEpoch + epoch;
            }
        }

        return new RateLimitHeaders
        {
            Bucket = Single(headers, "X-RateLimit-Bucket") is { Length: > 0 and <= 256 } bucket ? bucket : null,
            Limit = Count(headers, "X-RateLimit-Limit", ignored),
            Remaining = Count(headers, "X-RateLimit-Remaining", ignored),
            ResetAfter = Seconds(headers, "X-RateLimit-Reset-After", ignored, LongestPlausible),
            Reset = reset,
            Global = string.Equals(Single(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase),
            Scope = Single(headers, "X-RateLimit-Scope") is { Length: <= 32 } scope ? scope : null,
            RetryAfter = RetryAfterOf(headers, now, ignored),
            Ignored = ignored,
        };
    }

    /// <summary>
    /// When the bucket's window ends, seen from <paramref name="now"/>. Reset-After is preferred: it is
    /// relative, so a skewed local clock does not matter; the absolute Reset is the fallback.
    /// </summary>
    public DateTimeOffset? ResetAt(DateTimeOffset now) =>
        ResetAfter is { } after ? now + after : Reset;

    private static string? Single(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static int? Count(HttpResponseHeaders headers, string name, List<string> ignored)
    {
        if (Single(headers, name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        ignored.Add(name);
        return null;
    }

    private static TimeSpan? Seconds(HttpResponseHeaders headers, string name, List<string> ignored, TimeSpan maximum)
    {
        if (Single(headers, name) is not { } text)
        {
            return null;
        }

        if (ParseSeconds(text) is { } value && value <= maximum)
        {
            return value;
        }

        ignored.Add(name);
        return null;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseHeaders headers, DateTimeOffset now, List<string> ignored)
    {
        TimeSpan? value;
        try
        {
            value = headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - now,
                _ => Single(headers, "Retry-After") is { } text ? ParseSeconds(text) : null,
            };
        }
        catch (FormatException)
        {
            value = null;
        }

        if (value is null)
        {
            if (headers.Contains("Retry-After"))
            {
                ignored.Add("Retry-After");
            }

            return null;
        }

        if (value < TimeSpan.Zero || value > LongestPlausible)
        {
            ignored.Add("Retry-After");
            return null;
        }

        return value;
    }

    /// <summary>Seconds as Discord writes them; null for anything not a finite, non-negative number a TimeSpan can hold.</summary>
    internal static TimeSpan? ParseSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
        && double.IsFinite(seconds) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(seconds)
            : null;
}
