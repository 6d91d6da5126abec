namespace CaravanBot.Bot.Hosting;

/// <summary>
/// The ids of events handled lately, so an event Discord delivers twice (a replay after RESUME, the same message
/// under a new sequence number or after a new IDENTIFY) is handled once. Bounded both ways: ids are kept for
/// <see cref="Window"/> (interaction tokens expire after 15 minutes, so a repeat later is harmless) and at most
/// <see cref="Capacity"/> of them.
/// </summary>
internal sealed class RecentIds
{
    private readonly Lock _lock = new();
    private readonly HashSet<ulong> _ids = [];
    private readonly Queue<(ulong Id, long At)> _order = new();
    private readonly TimeProvider _time;

    public RecentIds(TimeProvider time, TimeSpan window, int capacity)
    {
        _time = time;
        Window = window;
        Capacity = capacity;
    }

    /// <summary>How long an id is remembered.</summary>
    public TimeSpan Window { get; }

    /// <summary>How many ids are remembered at most (the oldest go first).</summary>
    public int Capacity { get; }

    /// <summary>True the first time <paramref name="id"/> is seen within the window; false for a repeat.</summary>
    public bool TryAdd(ulong id)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_order.Count > 0 && (_order.Count >= Capacity || _time.GetElapsedTime(_order.Peek().At, now) > Window))
            {
                _ids.Remove(_order.Dequeue().Id);
            }

            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue((id, now));
            return true;
        }
    }
}
