using System.Threading.RateLimiting;
using CaravanBot.Bot.Discord.Models;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Features;

/// <summary>What the rate limiter decided about one question.</summary>
/// <param name="Allowed">The question may be answered.</param>
/// <param name="NoticeDue">
/// Refused, and the reader has not been told in this window: a mention gets one short notice, later
/// refusals in the same window stay silent so the notices cannot flood a channel.
/// </param>
public readonly record struct QuestionAdmission(bool Allowed, bool NoticeDue);

/// <summary>
/// Limits each reader to <see cref="DiscordFeatureOptions.QuestionsPerMinute"/> questions per minute,
/// counted over a sliding window (six ten-second segments, so a burst at the end of one minute does not
/// buy a second burst at the start of the next). Only questions count: <c>/source</c>, <c>/about</c> and
/// the "Show ¶n" buttons answer from memory and are not limited.
/// </summary>
public sealed class QuestionRateLimiter : IDisposable
{
    // Beyond this many remembered notices, the ones older than a window are forgotten.
    private const int NoticeMemory = 1024;

    private readonly PartitionedRateLimiter<ulong> _limiter;
    private readonly Dictionary<ulong, DateTimeOffset> _lastNotice = [];
    private readonly Lock _noticeLock = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _window;

    /// <summary>Creates the limiter from the options: <c>QuestionsPerMinute</c> per one-minute window.</summary>
    public QuestionRateLimiter(IOptions<DiscordFeatureOptions> options, TimeProvider time)
        : this(options.Value.QuestionsPerMinute, TimeSpan.FromMinutes(1), time)
    {
    }

    /// <summary>Creates a limiter with its own window (tests use a short one).</summary>
    internal QuestionRateLimiter(int permits, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        QuestionsPerWindow = permits;
        _window = window;
        _time = time;
        _limiter = PartitionedRateLimiter.Create<ulong, ulong>(user => RateLimitPartition.GetSlidingWindowLimiter(user, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>How many questions a reader may ask per window.</summary>
    public int QuestionsPerWindow { get; }

    /// <summary>Counts one question by <paramref name="user"/> and says whether to answer it.</summary>
    public QuestionAdmission Admit(Snowflake user)
    {
        using (var lease = _limiter.AttemptAcquire(user.Value))
        {
            if (lease.IsAcquired)
            {
                return new QuestionAdmission(Allowed: true, NoticeDue: false);
            }
        }

        var now = _time.GetUtcNow();
        lock (_noticeLock)
        {
            if (_lastNotice.TryGetValue(user.Value, out var last) && now - last < _window)
            {
                return new QuestionAdmission(Allowed: false, NoticeDue: false);
            }

            if (_lastNotice.Count >= NoticeMemory)
            {
                foreach (var stale in _lastNotice.Where(e => now - e.Value >= _window).Select(e => e.Key).ToArray())
                {
                    _lastNotice.Remove(stale);
                }
            }

            _lastNotice[user.Value] = now;
            return new QuestionAdmission(Allowed: false, NoticeDue: true);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();
}
