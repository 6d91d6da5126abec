using System.Buffers;
using System.Net.WebSockets;
using System.Threading.RateLimiting;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// One WebSocket connection and everything that dies with it: the socket, its cancellation, the send
/// lock and send limiter (Discord counts 120 payloads per 60 s per connection), the heartbeat loop and
/// its ACK flag, and the pooled receive buffer. A late heartbeat loop of an old connection can only
/// touch its own instance, never the next connection.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    private const int InitialReceiveBufferSize = 16 * 1024;

    // Buffers up to this size come from (and go back to) the shared pool; a rare larger message gets a plain array
    // that is dropped after use, so one huge message does not stay in the process's memory for good.
    private const int LargestPooledBuffer = 1024 * 1024;

    // Sends queue behind the limiter up to this many; beyond it SendAsync reports failure rather than
    // letting callers pile up without bound.
    private const int SendQueueLimit = 1024;

    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationTokenSource _heartbeatCts = new();
    private readonly Lock _heartbeatBudgetLock = new();
    private readonly SlidingWindowRateLimiter _heartbeats;
    private volatile bool _ackReceived = true;
    private volatile bool _isZombie;
    private volatile bool _isReady;
    private Task _heartbeatTask = Task.CompletedTask;

    public GatewayConnection(Uri uri, bool isResume, GatewayClientOptions options, string userAgent)
    {
        Uri = uri;
        IsResume = isResume;
        Socket = new ClientWebSocket();
        Socket.Options.SetRequestHeader("User-Agent", userAgent);

        // Sliding windows whose permits come back no sooner than SendWindow after use (see LimiterWindow).
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.SendLimit - options.ReservedHeartbeatSends,
            Window = options.LimiterWindow,
            SegmentsPerWindow = GatewayClientOptions.LimiterSegments + 1,
            QueueLimit = SendQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
        _heartbeats = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.ReservedHeartbeatSends,
            Window = options.LimiterWindow,
            SegmentsPerWindow = GatewayClientOptions.LimiterSegments + 1,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        ReceiveBuffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
    }

    public Uri Uri { get; }

    /// <summary>True when this connection was opened to RESUME rather than IDENTIFY.</summary>
    public bool IsResume { get; }

    public ClientWebSocket Socket { get; }

    /// <summary>Serialises sends: a WebSocket allows one send (or close) at a time.</summary>
    public SemaphoreSlim SendLock { get; } = new(1, 1);

    /// <summary>Limits every payload but heartbeats.</summary>
    public RateLimiter Limiter { get; }

    /// <summary>Cancelled when the connection is given up; cancelling a pending receive aborts the socket.</summary>
    public CancellationToken Token => _cts.Token;

    public byte[] ReceiveBuffer { get; private set; }

    /// <summary>Whether an op 11 arrived since the last scheduled heartbeat.</summary>
    public bool AckReceived
    {
        get => _ackReceived;
        set => _ackReceived = value;
    }

    /// <summary>Set by the heartbeat loop when an ACK did not come in time.</summary>
    public bool IsZombie => _isZombie;

    /// <summary>READY or RESUMED arrived on this connection: it counts as a success for the back-off.</summary>
    public bool IsReady
    {
        get => _isReady;
        set => _isReady = value;
    }

    /// <summary>For a RESUME: the sequence number it carried; dispatches up to it that Discord replays were delivered already.</summary>
    public long? ResumedAfter { get; set; }

    /// <summary>When READY or RESUMED arrived (a <see cref="TimeProvider"/> timestamp), for how long the connection was up.</summary>
    public long? ReadyTimestamp { get; set; }

    /// <summary>The heartbeat interval in use (HELLO's, clamped).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.MaxValue;

    /// <summary>Whether a sequence jump was logged as a warning on this connection (once is enough; later ones go to debug).</summary>
    public bool SequenceJumpLogged { get; set; }

    /// <summary>Whether a skipped op 1 was logged on this connection (once is enough).</summary>
    public bool SkippedHeartbeatRequestLogged { get; set; }

    public void MarkZombie() => _isZombie = true;

    /// <summary>
    /// Takes a heartbeat slot of the window's reserve. A scheduled beat takes any; an answer to op 1 only one that
    /// leaves <paramref name="keptForScheduled"/> for the scheduled beats, which keep the connection alive.
    /// </summary>
    public bool TryTakeHeartbeatSlot(bool scheduled, int keptForScheduled)
    {
        lock (_heartbeatBudgetLock)
        {
            if (!scheduled && (_heartbeats.GetStatistics()?.CurrentAvailablePermits ?? 0) <= keptForScheduled)
            {
                return false;
            }

            using var lease = _heartbeats.AttemptAcquire(1);
            return lease.IsAcquired;
        }
    }

    public void StartHeartbeat(Func<CancellationToken, Task> loop)
    {
        _heartbeatTask = Task.Run(() => loop(_heartbeatCts.Token), CancellationToken.None);
    }

    public async Task StopHeartbeatAsync()
    {
        await _heartbeatCts.CancelAsync().ConfigureAwait(false);
        try
        {
            await _heartbeatTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loop's normal way out.
        }
    }

    /// <summary>Gives the connection up at once: pending receives and sends fail, the socket is aborted.</summary>
    public void Abort()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing left to abort.
        }

        Socket.Abort();
    }

    /// <summary>Doubles the receive buffer, keeping the first <paramref name="used"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The message would exceed <paramref name="maxBytes"/>.</exception>
    public void GrowReceiveBuffer(int used, int maxBytes)
    {
        if (ReceiveBuffer.Length >= maxBytes)
        {
            throw new InvalidDataException($"A gateway message exceeded {maxBytes} bytes.");
        }

        var size = (int)Math.Min((long)ReceiveBuffer.Length * 2, maxBytes);
        var larger = size <= LargestPooledBuffer ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
        ReceiveBuffer.AsSpan(0, used).CopyTo(larger);
        ReturnBuffer(ReceiveBuffer);
        ReceiveBuffer = larger;
    }

    /// <summary>After a message larger than the pool keeps: back to a small pooled buffer, the large one left to the GC.</summary>
    public void ShrinkReceiveBuffer()
    {
        if (ReceiveBuffer.Length > LargestPooledBuffer)
        {
            ReceiveBuffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBufferSize);
        }
    }

    private static void ReturnBuffer(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= LargestPooledBuffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        Limiter.Dispose();
        _heartbeats.Dispose();
        SendLock.Dispose();
        _cts.Dispose();
        _heartbeatCts.Dispose();
        ReturnBuffer(ReceiveBuffer);
        ReceiveBuffer = [];
    }
}
