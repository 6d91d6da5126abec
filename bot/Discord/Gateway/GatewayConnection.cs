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

    // Sends queue behind the limiter up to this many; beyond it SendAsync reports failure rather than
    // letting callers pile up without bound.
    private const int SendQueueLimit = 1024;

    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationTokenSource _heartbeatCts = new();
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

        // A sliding window whose permits come back no sooner than SendWindow after use: the window is
        // stretched by one segment so that a burst at the end of one segment cannot meet a burst at the
        // start of Discord's next window (a plain fixed window would allow twice the limit across a boundary).
        const int segments = 10;
        Limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = options.SendLimit - options.ReservedHeartbeatSends,
            Window = options.SendWindow + (options.SendWindow / segments),
            SegmentsPerWindow = segments + 1,
            QueueLimit = SendQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
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

    public void MarkZombie() => _isZombie = true;

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

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)ReceiveBuffer.Length * 2, maxBytes));
        ReceiveBuffer.AsSpan(0, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(ReceiveBuffer);
        ReceiveBuffer = larger;
    }

    public void Dispose()
    {
        Socket.Dispose();
        Limiter.Dispose();
        SendLock.Dispose();
        _cts.Dispose();
        _heartbeatCts.Dispose();
        ArrayPool<byte>.Shared.Return(ReceiveBuffer);
        ReceiveBuffer = [];
    }
}
