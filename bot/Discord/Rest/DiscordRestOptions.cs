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
    /// Longest a request waits for a rate limit: a 429's <c>retry_after</c>, a used-up bucket's reset, or a global
    /// pause. A longer hold (an hour-long ban, a hostile <c>Reset-After</c>) is not waited out: the request fails at
    /// once without being sent (<see cref="DiscordRestException"/> with status 429 and
    /// <see cref="DiscordRestException.RetryAfter"/>), so one held bucket never freezes a channel for longer than this.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>429s tolerated for one request before it fails; Discord's headers normally make a second one rare.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Time-out of each attempt (connect, send, read the whole response) on routes that are not message sends.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Time-out of each attempt on the routes that carry replies (channel messages, interaction callbacks and
    /// webhooks): Discord answers them in well under a second, and a reply that hangs must not hold its channel.
    /// </summary>
    public TimeSpan MessageRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after it was asked for a reply is still worth sending: no retry, back-off or rate-limit wait of a
    /// message route starts if it would end later, and the request fails instead. A reader who waited this long
    /// has moved on, and the channel's next answers should not wait behind it.
    /// </summary>
    public TimeSpan MessageSendDeadline { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a request still waiting for its response keeps the other requests of its bucket waiting. Requests
    /// in a bucket go one at a time until Discord's headers say how many fit; one whose response does not come
    /// within this lets the next go, so a stuck request delays a channel's next answers by this much at most.
    /// </summary>
    public TimeSpan BucketHoldLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Largest response body read (Discord's largest answers to the bot's requests are a few kilobytes). A larger
    /// one is cut off there and counts as unreadable, so a hostile or broken server cannot make the bot hold it in memory.
    /// </summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// After Discord refuses a route with 403 in a channel (or guild, or interaction), further requests to that route
    /// there fail at once without being sent, for this long: every refused request counts towards the 10,000 invalid
    /// requests in 10 minutes that get the bot's IP banned, and a missing permission is not fixed in seconds.
    /// </summary>
    public TimeSpan RefusedRouteCooldown { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// 401, 403 and 429 (other than shared) responses in the last 10 minutes at which the client stops sending
    /// altogether until the count falls again. Discord bans the IP at 10,000; half of that leaves room for a restart.
    /// Crossing 100 and every tenfold of it is logged as a warning.
    /// </summary>
    public int InvalidRequestLimit { get; set; } = 5_000;

    /// <summary>
    /// Buckets untouched for this long are forgotten, so per-interaction buckets (one per interaction
    /// token) do not accumulate over a long-running process.
    /// </summary>
    public TimeSpan IdleBucketLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws when a value cannot work, naming it.</summary>
    internal void Validate()
    {
        Require(MaxServerErrorRetries >= 0, nameof(MaxServerErrorRetries), "must not be negative");
        Require(MaxRateLimitRetries >= 0, nameof(MaxRateLimitRetries), "must not be negative");
        Require(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Require(MessageRequestTimeout > TimeSpan.Zero, nameof(MessageRequestTimeout), "must be positive");
        Require(MessageSendDeadline >= MessageRequestTimeout, nameof(MessageSendDeadline), "must be at least MessageRequestTimeout");
        Require(BucketHoldLimit > TimeSpan.Zero, nameof(BucketHoldLimit), "must be positive");
        Require(MaxRateLimitWait >= TimeSpan.Zero, nameof(MaxRateLimitWait), "must not be negative");
        Require(MaxResponseBytes >= 4096, nameof(MaxResponseBytes), "must be at least 4096 bytes");
        Require(RefusedRouteCooldown >= TimeSpan.Zero, nameof(RefusedRouteCooldown), "must not be negative");
        Require(InvalidRequestLimit > 0, nameof(InvalidRequestLimit), "must be positive");
    }

    private static void Require(bool condition, string name, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"DiscordRestOptions.{name} {problem}.", name);
        }
    }
}
