namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// The bot-wide limit of N requests per second, plus the pause a 429 with <c>global: true</c> imposes
/// on every request. A request holds one of N permits from before it is sent until one second after
/// its response arrived. Discord counts requests when they arrive, which is somewhere between those
/// two moments, so no one-second window on Discord's side can ever see more than N of them, even when
/// some requests are slow on the way (a new connection, a congested network). Counting send times
/// instead (a token bucket, a log of send times) does not give that guarantee.
/// </summary>
internal sealed class GlobalRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim? _permits;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    public GlobalRateLimiter(TimeProvider timeProvider, int requestsPerSecond)
    {
        _timeProvider = timeProvider;
        _permits = requestsPerSecond > 0 ? new SemaphoreSlim(requestsPerSecond, requestsPerSecond) : null;
    }

    /// <summary>Pauses every (non-exempt) request until <paramref name="until"/>.</summary>
    public void PauseUntil(DateTimeOffset until)
    {
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }

    /// <summary>How long the global pause still lasts (zero when there is none).</summary>
    public TimeSpan PauseRemaining()
    {
        lock (_lock)
        {
            var pause = _pausedUntil - _timeProvider.GetUtcNow();
            return pause > TimeSpan.Zero ? pause : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Waits out a global pause and takes a permit. Every successful call must be followed by one
    /// <see cref="Release"/> once the response (or the failure) is in.
    /// </summary>
    public async ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        await WaitOutPauseAsync(cancellationToken).ConfigureAwait(false);
        if (_permits is null)
        {
            return;
        }

        await _permits.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A global 429 may have arrived while this request waited for its permit.
            await WaitOutPauseAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _permits.Release();
            throw;
        }
    }

    /// <summary>Gives the permit back one second from now.</summary>
    public void Release()
    {
        if (_permits is not null)
        {
            _ = ReleaseLaterAsync(_permits);
        }
    }

    private async Task ReleaseLaterAsync(SemaphoreSlim permits)
    {
        await Task.Delay(Window, _timeProvider).ConfigureAwait(false);
        permits.Release();
    }

    private async ValueTask WaitOutPauseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan pause;
            lock (_lock)
            {
                pause = _pausedUntil - _timeProvider.GetUtcNow();
            }

            if (pause <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(pause, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
