using System.Collections.Concurrent;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// One rate-limit bucket (a bucket hash, or a not-yet-learnt route, within one major parameter). Requests take
/// turns through its gate: the holder waits out a used-up window, sends, and passes the gate on as soon as the
/// bucket is known to have room for another request (Discord's <c>Remaining</c>, counted down locally as requests
/// go), otherwise when its response arrives or after <see cref="DiscordRestOptions.BucketHoldLimit"/>, whichever
/// comes first. So until the limits are known requests go one at a time, as discord.js's sequential handler does,
/// a window's budget is then used without waiting for each response, and a request that hangs holds the others
/// back for the hold limit at most.
/// </summary>
internal sealed class RateLimitBucket
{
    // Responses of one window name resets this close together (the server's clock, read per response).
    private static readonly TimeSpan SameWindow = TimeSpan.FromMilliseconds(250);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _lock = new();
    private int _users;
    private long _lastUsedUtcTicks;

    // Under _lock: several requests of the bucket may be in flight at once.
    private int? _limit;
    private int? _remaining;
    private DateTimeOffset? _resetAt;
    private DateTimeOffset? _serverReset;

    // True from the moment this process saw a window end until a response of the next one arrives: the requests sent
    // meanwhile are counted down from the limit here, and that count stands against the first response's.
    private bool _countingNewWindow;
    private DateTimeOffset _holdAnnouncedUntil = DateTimeOffset.MinValue;

    /// <summary>Requests holding or waiting for this bucket; an idle bucket (0) may be forgotten.</summary>
    public int Users => Volatile.Read(ref _users);

    /// <summary>When the last request left the bucket.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref _lastUsedUtcTicks), TimeSpan.Zero);

    /// <summary>Learnt <c>X-RateLimit-Limit</c>, for logs.</summary>
    public int? Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Requests the bucket still has room for in its window, as counted locally; null while unknown.</summary>
    public int? Remaining
    {
        get
        {
            lock (_lock)
            {
                return _remaining;
            }
        }
    }

    public void AddUser() => Interlocked.Increment(ref _users);

    public void RemoveUser() => Interlocked.Decrement(ref _users);

    public Task EnterAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    public void PassGate(DateTimeOffset now)
    {
        Interlocked.Exchange(ref _lastUsedUtcTicks, now.UtcTicks);
        _gate.Release();
    }

    /// <summary>Counts a request about to be sent against the window (a window that has ended starts over).</summary>
    public void Consume(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_resetAt is { } reset && reset <= now)
            {
                _remaining = _limit;
                _resetAt = null;
                _countingNewWindow = true;
            }

            if (_remaining is { } remaining)
            {
                _remaining = Math.Max(0, remaining - 1);
            }
        }
    }

    /// <summary>True when the window is known to have room for another request now.</summary>
    public bool HasRoom(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _remaining is > 0 && (_resetAt is not { } reset || reset > now);
        }
    }

    /// <summary>
    /// Takes what a response's headers say. Within one window the lower count wins (responses of concurrent requests
    /// arrive in any order). A response of a new window gives its count, less what was already sent in that window
    /// after this process saw the last one end (its count is of its own request only). The window a response belongs
    /// to is named by the server's <c>X-RateLimit-Reset</c> when it is given, so a response this process reads late (a
    /// busy machine) is still known for its window and cannot hand back room an ended window had; without it, by a
    /// reset more than a quarter second later than the one known.
    /// </summary>
    public void Update(RateLimitHeaders headers, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (headers.Limit is { } limit)
            {
                _limit = limit;
            }

            var resetAt = headers.ResetAt(now);
            bool newWindow;
            if (headers.Reset is { } serverReset)
            {
                if (_serverReset is { } known && serverReset <= known + SameWindow)
                {
                    // The current window, or one that has ended: it can only lower the current window's count.
                    if (serverReset >= known - SameWindow && !_countingNewWindow && headers.Remaining is { } left && _remaining is { } counted)
                    {
                        _remaining = Math.Min(left, counted);
                    }

                    return;
                }

                _serverReset = serverReset;
                newWindow = true;
            }
            else
            {
                newWindow = resetAt is { } next && (_resetAt is not { } current || next > current + SameWindow || current <= now);
            }

            if (headers.Remaining is { } remaining)
            {
                _remaining = (newWindow && !_countingNewWindow) || _remaining is null ? remaining : Math.Min(remaining, _remaining.Value);
            }

            if (resetAt is { } at && (newWindow || _resetAt is null))
            {
                _resetAt = at;
            }

            if (newWindow)
            {
                _countingNewWindow = false;
            }
        }
    }

    /// <summary>A 429 for this bucket: nothing more is sent in it before <paramref name="until"/>.</summary>
    public void BlockUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            _remaining = 0;
            if (_resetAt is not { } current || current < until)
            {
                _resetAt = until;
            }
        }
    }

    /// <summary>How long the next request must wait: until the reset when the window is used up, else not at all.</summary>
    public TimeSpan DelayBeforeNext(DateTimeOffset now)
    {
        lock (_lock)
        {
            return _remaining is <= 0 && _resetAt is { } resetAt && resetAt > now ? resetAt - now : TimeSpan.Zero;
        }
    }

    /// <summary>True once per hold (per reset time): the first request refused because of it logs the warning.</summary>
    public bool ShouldAnnounceHold(DateTimeOffset until)
    {
        lock (_lock)
        {
            // The 429 that starts a hold and the requests refused during it name about the same end.
            if (until <= _holdAnnouncedUntil + TimeSpan.FromSeconds(1))
            {
                return false;
            }

            _holdAnnouncedUntil = until;
            return true;
        }
    }
}

/// <summary>
/// A request's turn at its bucket's gate. <see cref="Pass"/> lets the next request of the bucket go; it may be
/// called more than once and from a timer (the hold limit), and only the first call counts.
/// </summary>
internal sealed class BucketTurn
{
    private readonly RateLimitBuckets _buckets;
    private int _passed;

    public BucketTurn(RateLimitBuckets buckets, RateLimitBucket bucket)
    {
        _buckets = buckets;
        Bucket = bucket;
    }

    public RateLimitBucket Bucket { get; }

    /// <summary>Whether this request still holds the gate.</summary>
    public bool IsHeld => Volatile.Read(ref _passed) == 0;

    public void Pass()
    {
        if (Interlocked.Exchange(ref _passed, 1) == 0)
        {
            _buckets.Leave(Bucket);
        }
    }
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

    /// <summary>Waits for the route's bucket and holds its gate until the returned turn is passed.</summary>
    public async Task<BucketTurn> EnterAsync(DiscordRoute route, CancellationToken cancellationToken)
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
                return new BucketTurn(this, bucket);
            }

            Leave(bucket);
        }
    }

    public void Leave(RateLimitBucket bucket)
    {
        bucket.PassGate(_timeProvider.GetUtcNow());
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
