using System.Collections.Concurrent;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// One rate-limit bucket (a bucket hash, or a not-yet-learnt route, within one major parameter).
/// Requests in a bucket run one at a time: the holder of the gate sends, reads the response and its
/// headers, and only then lets the next one go, as discord.js's sequential handler does. Discord's
/// limits on the routes this bot uses are a handful of requests per seconds per channel, so running
/// requests of one bucket concurrently would gain nothing and make Remaining racy.
/// </summary>
internal sealed class RateLimitBucket
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _users;
    private long _lastUsedUtcTicks;

    // The fields below are read and written only by the holder of _gate.
    private int? _limit;
    private int? _remaining;
    private DateTimeOffset? _resetAt;

    /// <summary>Requests holding or waiting for this bucket; an idle bucket (0) may be forgotten.</summary>
    public int Users => Volatile.Read(ref _users);

    /// <summary>When the last request left the bucket.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedUtcTicks), TimeSpan.Zero);

    /// <summary>Learnt <c>X-RateLimit-Limit</c>, for logs.</summary>
    public int? Limit => _limit;

    /// <summary>Learnt <c>X-RateLimit-Remaining</c>, for logs.</summary>
    public int? Remaining => _remaining;

    public void AddUser() => Interlocked.Increment(ref _users);

    public void RemoveUser() => Interlocked.Decrement(ref _users);

    public Task EnterAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    public void Leave(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _lastUsedUtcTicks, now.UtcTicks);
        _gate.Release();
    }

    /// <summary>Takes what the response's headers say about the bucket's window.</summary>
    public void Update(RateLimitHeaders headers, DateTimeOffset now)
    {
        if (headers.Limit is { } limit)
        {
            _limit = limit;
        }

        if (headers.Remaining is { } remaining)
        {
            _remaining = remaining;
        }

        if (headers.ResetAt(now) is { } resetAt)
        {
            _resetAt = resetAt;
        }
    }

    /// <summary>A 429 for this bucket: nothing more is sent in it before <paramref name="until"/>.</summary>
    public void BlockUntil(DateTimeOffset until)
    {
        _remaining = 0;
        if (_resetAt is not { } current || current < until)
        {
            _resetAt = until;
        }
    }

    /// <summary>How long the next request must wait: until the reset when the window is used up, else not at all.</summary>
    public TimeSpan DelayBeforeNext(DateTimeOffset now) =>
        _remaining is <= 0 && _resetAt is { } resetAt && resetAt > now ? resetAt - now : TimeSpan.Zero;
}

/// <summary>
/// Finds the bucket of a route: the learnt <c>X-RateLimit-Bucket</c> hash combined with the major
/// parameter, or, until a response has named the hash, the route template combined with the major
/// parameter (so first requests to one route and channel are serialised until the limits are known).
/// </summary>
internal sealed class RateLimitBuckets
{
    private readonly ConcurrentDictionary<string, string> _hashByRoute = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RateLimitBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _idleLifetime;
    private long _nextSweepUtcTicks;

    public RateLimitBuckets(TimeProvider timeProvider, TimeSpan idleLifetime)
    {
        _timeProvider = timeProvider;
        _idleLifetime = idleLifetime;
        _nextSweepUtcTicks = (timeProvider.GetUtcNow() + idleLifetime).UtcTicks;
    }

    /// <summary>Buckets currently tracked (each learnt bucket may be listed under two keys), for tests and diagnostics.</summary>
    public int Count => _buckets.Count;

    /// <summary>Waits for the route's bucket and holds it until <see cref="Leave"/>.</summary>
    public async Task<RateLimitBucket> EnterAsync(DiscordRoute route, CancellationToken cancellationToken)
    {
        SweepIfDue();
        while (true)
        {
            var bucket = _buckets.GetOrAdd(KeyOf(route), static _ => new RateLimitBucket());
            bucket.AddUser();
            try
            {
                await bucket.EnterAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                bucket.RemoveUser();
                throw;
            }

            // While this request waited, the route's hash may have been learnt (and the bucket that
            // now stands for it may be another object), or an idle sweep may have dropped the entry.
            if (_buckets.TryGetValue(KeyOf(route), out var current) && ReferenceEquals(current, bucket))
            {
                return bucket;
            }

            Leave(bucket);
        }
    }

    public void Leave(RateLimitBucket bucket)
    {
        bucket.Leave(_timeProvider.GetUtcNow());
        bucket.RemoveUser();
    }

    /// <summary>
    /// Records that <paramref name="route"/> belongs to bucket <paramref name="hash"/>. The bucket in
    /// hand becomes the one for the hash (unless another route already created it), so the limits
    /// just learnt apply to the very next request.
    /// </summary>
    public void Learn(DiscordRoute route, RateLimitBucket bucket, string hash)
    {
        // Registered per major parameter even when the route's hash is already known (learnt in
        // another channel): this channel's bucket must carry over its own Remaining and Reset.
        _hashByRoute[route.RouteKey] = hash;
        _buckets.TryAdd(HashKey(hash, route.MajorKey), bucket);
    }

    private string KeyOf(DiscordRoute route) =>
        _hashByRoute.TryGetValue(route.RouteKey, out var hash)
            ? HashKey(hash, route.MajorKey)
            : $"route {route.RouteKey} {route.MajorKey}";

    private static string HashKey(string hash, string majorKey) => $"bucket {hash} {majorKey}";

    private void SweepIfDue()
    {
        var now = _timeProvider.GetUtcNow();
        var due = Interlocked.Read(ref _nextSweepUtcTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepUtcTicks, (now + _idleLifetime).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var entry in _buckets)
        {
            // A request that fetched this bucket just before it is removed notices on entering
            // (the key no longer maps to it) and starts over with a fresh bucket.
            if (entry.Value.Users == 0 && now - entry.Value.LastUsed > _idleLifetime)
            {
                _buckets.TryRemove(entry);
            }
        }
    }
}
