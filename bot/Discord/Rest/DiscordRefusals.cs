using System.Collections.Concurrent;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// What Discord has refused lately, so the client stops asking: the routes answered with 403 (per major parameter)
/// for <see cref="DiscordRestOptions.RefusedRouteCooldown"/>, and the count of invalid responses (401, 403 and 429
/// other than shared) in the last 10 minutes, which Discord bans the IP for at 10,000.
/// </summary>
internal sealed class DiscordRefusals
{
    /// <summary>Discord's window for counting invalid requests.</summary>
    public static readonly TimeSpan InvalidRequestWindow = TimeSpan.FromMinutes(10);

    private const int SweepThreshold = 1024;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _refusedRoutes = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _invalid = new();
    private readonly Lock _lock = new();
    private readonly TimeSpan _routeCooldown;

    public DiscordRefusals(TimeSpan routeCooldown)
    {
        _routeCooldown = routeCooldown;
    }

    /// <summary>Counts one invalid response; returns the count in the window, this one included.</summary>
    public int CountInvalid(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(now);
            _invalid.Enqueue(now);
            return _invalid.Count;
        }
    }

    /// <summary>Invalid responses in the last 10 minutes.</summary>
    public int InvalidCount(DateTimeOffset now)
    {
        lock (_lock)
        {
            Trim(now);
            return _invalid.Count;
        }
    }

    /// <summary>Remembers that <paramref name="key"/> was refused; returns until when it stays refused.</summary>
    public DateTimeOffset RefuseRoute(string key, DateTimeOffset now)
    {
        if (_refusedRoutes.Count >= SweepThreshold)
        {
            foreach (var entry in _refusedRoutes)
            {
                if (entry.Value <= now)
                {
                    _refusedRoutes.TryRemove(entry);
                }
            }
        }

        var until = now + _routeCooldown;
        _refusedRoutes[key] = until;
        return until;
    }

    /// <summary>Until when <paramref name="key"/> stays refused, or null when it may be asked again.</summary>
    public DateTimeOffset? RefusedUntil(string key, DateTimeOffset now) =>
        _refusedRoutes.TryGetValue(key, out var until) && until > now ? until : null;

    private void Trim(DateTimeOffset now)
    {
        while (_invalid.Count > 0 && now - _invalid.Peek() >= InvalidRequestWindow)
        {
            _invalid.Dequeue();
        }
    }
}
