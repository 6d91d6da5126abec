namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Tuning of <see cref="DiscordRestClient"/>: retries, rate-limit handling and time-outs. The defaults
/// follow Discord's documentation; tests shrink the delays. The host binds them from the
/// <c>Discord:Rest</c> configuration section (e.g. <c>Discord__Rest__RequestTimeout=00:00:20</c>).
/// </summary>
public sealed class DiscordRestOptions
{
    /// <summary>Configuration section name (under <c>Discord</c>).</summary>
    public const string SectionName = "Discord:Rest";

    /// <summary>
    /// Retries after a 5xx (500, 502, 503, 504) or a network error/time-out, so a request is sent at
    /// most <c>1 + MaxServerErrorRetries</c> times. 3 is what Discord.Net and discord.js use.
    /// </summary>
    public int MaxServerErrorRetries { get; set; } = 3;

    /// <summary>
    /// First back-off after a 5xx or network error; it doubles on each retry and gets up to 50 %
    /// random jitter so that many clients recovering from one outage do not retry in lock-step.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Ceiling of the back-off between 5xx/network retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests per second across all routes (Discord's global limit for a bot is 50). Zero or less
    /// turns the client-side limiter off; a 429 with <c>global: true</c> still pauses everything.
    /// </summary>
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>
    /// Discord's documentation says interaction endpoints (the callback and the interaction webhook
    /// routes) are not bound to the bot's global rate limit. When true (the default) those requests
    /// skip the client-side global limiter and global pauses, so a busy bot still answers within the
    /// 3-second callback deadline; their per-route buckets and their own 429s are still honoured.
    /// </summary>
    public bool ExemptInteractionsFromGlobalLimit { get; set; } = true;

    /// <summary>
    /// Added to every rate-limit wait (as discord.js's <c>offset</c>, 50 ms) to absorb clock and
    /// timer granularity, so the request after the wait does not arrive a hair early and draw a 429.
    /// </summary>
    public TimeSpan RateLimitOffset { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Longest 429 wait the client accepts; a longer one (an hour-long ban, a shared-resource cap) fails
    /// the request with a <see cref="DiscordRestException"/> (status 429) instead of hanging a feature.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>429s tolerated for one request before it fails; Discord's headers normally make a second one rare.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Time-out of each attempt (connect, send, read the whole response).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Buckets untouched for this long are forgotten, so per-interaction buckets (one per interaction
    /// token) do not accumulate over a long-running process.
    /// </summary>
    public TimeSpan IdleBucketLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
