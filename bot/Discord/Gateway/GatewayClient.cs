using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// Discord's gateway (API v10, JSON, no compression) over <see cref="ClientWebSocket"/>, kept up for as
/// long as <see cref="RunAsync"/> runs: heartbeats with jitter and zombie detection, RESUME after drops and
/// op 7, a fresh IDENTIFY after an invalid session, back-off with full jitter between failed attempts,
/// a send limit under Discord's 120 payloads per 60 s, and a clear <see cref="GatewayFatalException"/>
/// when Discord refuses the bot for good.
/// </summary>
/// <remarks>
/// <para>Three loops run while connected, so that none can starve another:</para>
/// <list type="bullet">
/// <item><description>The <b>receive loop</b> (one per connection) reads whole messages into a pooled buffer,
/// handles HELLO, ACKs, op 1/7/9, READY and RESUMED itself, and writes each new dispatch to a queue. It never
/// awaits the caller's handler, so ACKs are read while the handler works.</description></item>
/// <item><description>The <b>heartbeat loop</b> (one per connection) beats on its own timer (first after
/// <c>interval × random</c>, then every interval), and closes the connection with 4000 when the previous
/// beat was not acknowledged. Heartbeats skip the send limiter (slots are reserved for them).</description></item>
/// <item><description>The <b>dispatch loop</b> (one per <see cref="RunAsync"/>, spanning reconnects) reads the
/// queue and awaits the handler for one dispatch at a time, in sequence order; an exception from the handler is
/// logged and the next dispatch follows.</description></item>
/// </list>
/// <para>Dispatches whose sequence number is not above the last one received in the session (replays after a
/// resume) are dropped, so the handler sees each event once.</para>
/// </remarks>
public sealed class GatewayClient : IGatewayClient
{
    private const long NoSequence = -1;

    private static readonly JsonElement JsonNull = JsonSerializer.SerializeToElement<object?>(null);

    private readonly DiscordOptions _discord;
    private readonly IDiscordRestClient _rest;
    private readonly ILogger<GatewayClient> _logger;
    private readonly TimeProvider _time;
    private readonly GatewayClientOptions _options;
    private readonly GatewayShard _shard;
    private readonly IdentifyGate _identifyGate;
    private readonly Lock _stateLock = new();

    private GatewayState _state = GatewayState.Disconnected;
    private GatewaySession? _session;
    private GatewayConnection? _current;
    private long _sequence = NoSequence;
    private int _running;
    private int _reconnects;

    // Touched only by the run loop and the receive loop it awaits, one after the other.
    private GatewaySession? _resumable;
    private string? _identifyAddress;
    private (ulong UserId, ulong ApplicationId)? _identity;

    /// <summary>Creates the client; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="discordOptions">Token, gateway address (empty: ask <c>GET /gateway/bot</c>) and User-Agent.</param>
    /// <param name="rest">Used for <c>GET /gateway/bot</c> when no gateway address is configured.</param>
    /// <param name="logger">Receives state changes and problems; never the token.</param>
    /// <param name="timeProvider">Clock for heartbeats, back-off and timeouts.</param>
    /// <param name="gatewayOptions">Tuning knobs; Discord's defaults when not configured.</param>
    public GatewayClient(
        IOptions<DiscordOptions> discordOptions,
        IDiscordRestClient rest,
        ILogger<GatewayClient> logger,
        TimeProvider timeProvider,
        IOptions<GatewayClientOptions> gatewayOptions)
        : this(discordOptions, rest, logger, timeProvider, gatewayOptions, GatewayShard.Unsharded, identifyGate: null)
    {
    }

    /// <summary>Creates the client for one shard; nothing connects until <see cref="RunAsync"/>.</summary>
    /// <param name="discordOptions">Token, gateway address (empty: ask <c>GET /gateway/bot</c>) and User-Agent.</param>
    /// <param name="rest">Used for <c>GET /gateway/bot</c>, asked before every IDENTIFY.</param>
    /// <param name="logger">Receives state changes and problems; never the token.</param>
    /// <param name="timeProvider">Clock for heartbeats, back-off and timeouts.</param>
    /// <param name="gatewayOptions">Tuning knobs; Discord's defaults when not configured.</param>
    /// <param name="shard">The shard this connection is (<c>shard</c> in IDENTIFY).</param>
    /// <param name="identifyGate">Spaces IDENTIFYs with the other shards of the bot; null for one of this client's own.</param>
    public GatewayClient(
        IOptions<DiscordOptions> discordOptions,
        IDiscordRestClient rest,
        ILogger<GatewayClient> logger,
        TimeProvider timeProvider,
        IOptions<GatewayClientOptions> gatewayOptions,
        GatewayShard shard,
        IdentifyGate? identifyGate)
    {
        ArgumentNullException.ThrowIfNull(discordOptions);
        ArgumentNullException.ThrowIfNull(rest);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(gatewayOptions);
        _discord = discordOptions.Value;
        _rest = rest;
        _logger = logger;
        _time = timeProvider;
        _options = gatewayOptions.Value;
        _options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(shard.Count, 1, nameof(shard));
        ArgumentOutOfRangeException.ThrowIfNegative(shard.Id, nameof(shard));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(shard.Id, shard.Count, nameof(shard));
        _shard = shard;
        _identifyGate = identifyGate ?? new IdentifyGate(directory: null, timeProvider);
    }

    /// <summary>The shard this client connects as.</summary>
    public GatewayShard Shard => _shard;

    /// <summary>Connections opened after the first (resumes and new sessions) since the client was created.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <inheritdoc />
    public GatewayState State
    {
        get
        {
            lock (_stateLock)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    public GatewaySession? Session => Volatile.Read(ref _session);

    /// <inheritdoc />
    public event Action<GatewayState>? StateChanged;

    /// <inheritdoc />
    /// <remarks>
    /// Returns (or throws) only after every loop has ended, including the handler call in flight, which gets
    /// <paramref name="cancellationToken"/>. One RunAsync at a time per client.
    /// </remarks>
    /// <exception cref="GatewayFatalException">Discord closed with 4004 or 4010–4014, or <c>GET /gateway/bot</c> answered 401.</exception>
    /// <exception cref="InvalidOperationException">No token is configured, or RunAsync is already running.</exception>
    public async Task RunAsync(Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onDispatch);
        if (string.IsNullOrWhiteSpace(_discord.Token))
        {
            throw new InvalidOperationException("Discord:Token is missing: set the environment variable DISCORD_TOKEN to the bot token from the developer portal.");
        }

        if (GatewayPayloads.Identify(_discord.Token, _options.Intents, _options, _shard).Length > _options.MaxPayloadBytes)
        {
            // Discord would never see it: refusing it on every attempt would look like a gateway that never answers.
            throw new InvalidOperationException($"IDENTIFY would exceed the gateway's {_options.MaxPayloadBytes} bytes: Discord:Token is far longer than a bot token.");
        }

        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync is already running on this GatewayClient.");
        }

        var dispatches = Channel.CreateBounded<GatewayDispatch>(new BoundedChannelOptions(_options.DispatchQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var dispatchLoop = Task.Run(() => DispatchLoopAsync(dispatches.Reader, onDispatch, cancellationToken), CancellationToken.None);
        DiscordTelemetry.ShardStarted(this);
        try
        {
            await ConnectionLoopAsync(dispatches.Writer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // On a fatal close the dispatches already received are still handed over; on cancellation the
            // dispatch loop stops after the handler call in flight.
            dispatches.Writer.TryComplete();
            await dispatchLoop.ConfigureAwait(false);
            Volatile.Write(ref _current, null);
            SetState(GatewayState.Stopped);
            DiscordTelemetry.ShardStopped(this);
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>
    /// Sends a command (e.g. op 3 presence update) on the open connection, waiting for the send limiter
    /// when the window's budget is spent.
    /// </summary>
    /// <param name="opcode">The command's opcode; heartbeats, IDENTIFY and RESUME are the client's own.</param>
    /// <param name="data">The <c>d</c> object, serialised with Discord's JSON conventions.</param>
    /// <param name="cancellationToken">Stops waiting for the limiter.</param>
    /// <returns>
    /// True once sent; false when the payload was refused for exceeding <see cref="GatewayClientOptions.MaxPayloadBytes"/>
    /// (logged as an error) or no connection was ready or it was lost meanwhile (logged at debug level).
    /// </returns>
    public async Task<bool> SendAsync(int opcode, object? data, CancellationToken cancellationToken = default)
    {
        if (opcode is GatewayOpcode.Dispatch or GatewayOpcode.Heartbeat or GatewayOpcode.Identify or GatewayOpcode.Resume)
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "The client sends heartbeats, IDENTIFY and RESUME itself, and op 0 is only received.");
        }

        var payload = GatewayPayloads.Command(opcode, data);
        if (payload.Length > _options.MaxPayloadBytes)
        {
            GatewayLog.PayloadTooLarge(_logger, opcode, payload.Length, _options.MaxPayloadBytes);
            return false;
        }

        var connection = Volatile.Read(ref _current);
        if (connection is null)
        {
            GatewayLog.NotSent(_logger, opcode, "no connection is ready");
            return false;
        }

        try
        {
            return await SendPayloadAsync(connection, payload, opcode, limited: true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            GatewayLog.NotSent(_logger, opcode, "the connection was lost");
            return false;
        }
    }

    /// <summary>
    /// The wait before the next attempt after <paramref name="failures"/> failed attempts in a row:
    /// uniformly random below min(max, base × 2^(failures − 1)) (exponential back-off, full jitter).
    /// </summary>
    internal static TimeSpan BackoffDelay(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var cap = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)));
        return TimeSpan.FromMilliseconds(cap * Math.Clamp(jitter, 0, 1));
    }

    private async Task ConnectionLoopAsync(ChannelWriter<GatewayDispatch> dispatches, CancellationToken stopping)
    {
        var failures = 0;
        var afterInvalidSession = false;
        var firstAttempt = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!firstAttempt)
                {
                    await WaitBeforeReconnectingAsync(failures, afterInvalidSession, stopping).ConfigureAwait(false);
                    Interlocked.Increment(ref _reconnects);
                    DiscordTelemetry.Reconnected(_shard);
                }

                firstAttempt = false;
                afterInvalidSession = false;

                var resume = _resumable;
                Uri uri;
                IdentifyTurn? turn = null;
                if (resume is null)
                {
                    // A new session numbers its events from 1 again.
                    Interlocked.Exchange(ref _sequence, NoSequence);
                    (uri, turn) = await PrepareIdentifyAsync(stopping).ConfigureAwait(false);
                }
                else
                {
                    uri = GatewayUri.Build(resume.ResumeGatewayUrl);
                }

                ConnectionEnd end;
                using (turn)
                {
                    end = await RunConnectionAsync(uri, resume, turn, dispatches, stopping).ConfigureAwait(false);
                }

                // Only a connection that stayed up a while resets the back-off: one that is accepted and dropped at
                // once (a RESUME that "works" every 50 ms) is a failure like any other.
                failures = end.WasStable ? 0 : failures + 1;
                if (end.Next == ConnectionNext.Stopped || stopping.IsCancellationRequested)
                {
                    return;
                }

                switch (end.Next)
                {
                    case ConnectionNext.Fatal:
                        var code = end.CloseCode ?? 0;
                        throw Fatal(code, GatewayCloseCodes.FatalMessage(code, _options.Intents));
                    case ConnectionNext.Identify:
                        _resumable = null;
                        GatewayLog.ConnectionEnded(_logger, end.Error, end.Reason, end.CloseCode, "identify anew");
                        break;
                    case ConnectionNext.IdentifyAfterInvalidSession:
                        _resumable = null;
                        afterInvalidSession = true;
                        GatewayLog.ConnectionEnded(_logger, end.Error, end.Reason, end.CloseCode, "identify anew after a pause");
                        break;
                    default:
                        GatewayLog.ConnectionEnded(_logger, end.Error, end.Reason, end.CloseCode, _resumable is null ? "identify (no session to resume)" : "resume");
                        break;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (GatewayFatalException)
            {
                throw;
            }
            catch (Exception ex)
            {
                // Whatever went wrong with this attempt (DNS, refused upgrade, REST outage), the bot must come
                // back by itself: count it as a failure and let the back-off space the retries.
                failures++;
                GatewayLog.AttemptFailed(_logger, ex, ex.GetType().Name);
            }
        }
    }

    private async Task WaitBeforeReconnectingAsync(int failures, bool afterInvalidSession, CancellationToken stopping)
    {
        SetState(GatewayState.Reconnecting);
        TimeSpan delay;
        if (afterInvalidSession)
        {
            // Discord asks for 1–5 s here; the identify spacing and the session-start budget still apply after it.
            var spread = _options.InvalidSessionDelayMax - _options.InvalidSessionDelayMin;
            delay = _options.InvalidSessionDelayMin + (spread * _options.NextJitter());
            GatewayLog.InvalidSessionWait(_logger, delay.TotalMilliseconds);
        }
        else
        {
            delay = BackoffDelay(failures, _options.ReconnectBackoffBase, _options.ReconnectBackoffMax, _options.NextJitter());
            if (failures > 0)
            {
                GatewayLog.BackingOff(_logger, delay.TotalMilliseconds, failures);
            }
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Finds where to IDENTIFY and waits until Discord allows another session start. <c>GET /gateway/bot</c> is asked
    /// before every IDENTIFY, also when <see cref="DiscordOptions.GatewayUrl"/> names the address, because it is what
    /// tells the session-start budget (1,000 a day): a gateway that ends every session must not use it up unseen.
    /// </summary>
    private async Task<(Uri Address, IdentifyTurn Turn)> PrepareIdentifyAsync(CancellationToken stopping)
    {
        var configured = string.IsNullOrWhiteSpace(_discord.GatewayUrl) ? null : _discord.GatewayUrl;
        GatewayBotInfo? info = null;
        try
        {
            info = await _rest.GetGatewayBotAsync(stopping).ConfigureAwait(false);
        }
        catch (DiscordRestException ex) when (ex.StatusCode == 401)
        {
            throw Fatal(4004, GatewayCloseCodes.UnauthorizedGatewayBotMessage);
        }
        catch (Exception ex) when (configured is not null && ex is not OperationCanceledException)
        {
            // The address is known; only the budget is not. One IDENTIFY on the configured address is still spaced
            // and backed off like any other.
            GatewayLog.SessionBudgetUnknown(_logger, ex, ex.GetType().Name);
        }

        var address = configured ?? info?.Url;
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new InvalidOperationException("GET /gateway/bot gave no gateway address.");
        }

        if (info?.SessionStartLimit is { Remaining: <= 0 } limit)
        {
            var wait = TimeSpan.FromMilliseconds(Math.Clamp(limit.ResetAfter, 0, TimeSpan.FromDays(1).TotalMilliseconds));
            GatewayLog.SessionStartLimitExhausted(_logger, limit.Total, (long)wait.TotalMilliseconds);
            await Task.Delay(wait, _time, stopping).ConfigureAwait(false);
        }

        var uri = GatewayUri.Build(address);
        _identifyAddress = address;

        // One IDENTIFY per interval in each max_concurrency bucket, shared with the bot's other shards (and, through
        // the gate's lock files, with its other processes). The turn is held until IDENTIFY is sent.
        var turn = await _identifyGate.WaitTurnAsync(
            _shard,
            info?.SessionStartLimit?.MaxConcurrency ?? 1,
            _options.IdentifyInterval,
            wait => GatewayLog.IdentifySpacing(_logger, wait.TotalMilliseconds),
            stopping).ConfigureAwait(false);
        return (uri, turn);
    }

    /// <summary>One connection from upgrade to close; returns what to do next.</summary>
    private async Task<ConnectionEnd> RunConnectionAsync(Uri uri, GatewaySession? resume, IdentifyTurn? turn, ChannelWriter<GatewayDispatch> dispatches, CancellationToken stopping)
    {
        SetState(GatewayState.Connecting);
        GatewayLog.Connecting(_logger, uri.GetLeftPart(UriPartial.Path), resume is null ? "identify" : "resume");
        using var connection = new GatewayConnection(uri, resume is not null, _options, _discord.UserAgent);
        try
        {
            using (var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var connectCancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping, connectTimeout.Token))
            {
                await connection.Socket.ConnectAsync(uri, connectCancellation.Token).ConfigureAwait(false);
            }

            // Receiving does not watch the stopping token: cancelling a receive aborts the socket, and
            // shutting down must first close it properly with 1000.
            var receive = ReceiveLoopAsync(connection, resume, turn, dispatches);
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (stopping.Register(() => stopped.TrySetResult()))
            {
                await Task.WhenAny(receive, stopped.Task).ConfigureAwait(false);
            }

            if (!receive.IsCompleted)
            {
                await ShutDownAsync(connection, receive).ConfigureAwait(false);
                return new ConnectionEnd(ConnectionNext.Stopped, "shutting down");
            }

            var end = await receive.ConfigureAwait(false);
            return end with { WasStable = connection.ReadyTimestamp is { } readyAt && _time.GetElapsedTime(readyAt) >= _options.ConnectionStableAfter };
        }
        finally
        {
            Interlocked.CompareExchange(ref _current, null, connection);
            connection.Abort();
            await connection.StopHeartbeatAsync().ConfigureAwait(false);
        }
    }

    private async Task ShutDownAsync(GatewayConnection connection, Task<ConnectionEnd> receive)
    {
        GatewayLog.ShuttingDown(_logger);
        await connection.StopHeartbeatAsync().ConfigureAwait(false);
        await CloseAsync(connection, WebSocketCloseStatus.NormalClosure, "shutting down").ConfigureAwait(false);
        try
        {
            // The receive loop ends when Discord's close frame answers ours.
            await receive.WaitAsync(_options.CloseTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            connection.Abort();
            await receive.ConfigureAwait(false);
        }
    }

    /// <summary>Reads and handles messages until the connection ends; never throws.</summary>
    private async Task<ConnectionEnd> ReceiveLoopAsync(GatewayConnection connection, GatewaySession? resume, IdentifyTurn? turn, ChannelWriter<GatewayDispatch> dispatches)
    {
        try
        {
            int? length;
            using (var helloTimeout = new CancellationTokenSource(_options.HelloTimeout, _time))
            using (var helloCancellation = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, helloTimeout.Token))
            {
                try
                {
                    length = await ReceiveMessageAsync(connection, helloCancellation.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (helloTimeout.IsCancellationRequested)
                {
                    return new ConnectionEnd(ConnectionNext.Resume, $"no HELLO within {_options.HelloTimeout.TotalSeconds:0.###} s");
                }
            }

            if (length is null)
            {
                return await ClosedByDiscordAsync(connection).ConfigureAwait(false);
            }

            var asked = ReadHeartbeatInterval(connection.ReceiveBuffer.AsMemory(0, length.Value));
            if (asked is null)
            {
                return new ConnectionEnd(ConnectionNext.Resume, "the first message was not HELLO with a heartbeat_interval");
            }

            var interval = ClampHeartbeatInterval(asked.Value);
            GatewayLog.Hello(_logger, asked.Value.TotalMilliseconds);
            connection.HeartbeatInterval = interval;
            connection.StartHeartbeat(ct => HeartbeatLoopAsync(connection, interval, ct));

            if (resume is null)
            {
                await SendPayloadAsync(connection, GatewayPayloads.Identify(_discord.Token!, _options.Intents, _options, _shard), GatewayOpcode.Identify, limited: true, CancellationToken.None).ConfigureAwait(false);
                turn?.MarkIdentified();
                SetState(GatewayState.Identifying);
            }
            else
            {
                var sequence = Math.Max(Interlocked.Read(ref _sequence), 0);
                connection.ResumedAfter = sequence;
                await SendPayloadAsync(connection, GatewayPayloads.Resume(_discord.Token!, resume.SessionId, sequence), GatewayOpcode.Resume, limited: true, CancellationToken.None).ConfigureAwait(false);
                SetState(GatewayState.Resuming);
            }

            // Until READY (or RESUMED) the bot cannot answer anyone: that wait is bounded.
            using var readyTimeout = new CancellationTokenSource(_options.ReadyTimeout, _time);
            while (true)
            {
                if (connection.IsReady)
                {
                    length = await ReceiveMessageAsync(connection, connection.Token).ConfigureAwait(false);
                }
                else
                {
                    using var waitingForReady = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, readyTimeout.Token);
                    try
                    {
                        length = await ReceiveMessageAsync(connection, waitingForReady.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (readyTimeout.IsCancellationRequested && !connection.Token.IsCancellationRequested)
                    {
                        var what = resume is null ? "READY after IDENTIFY" : "RESUMED after RESUME";
                        GatewayLog.NoReady(_logger, what, _options.ReadyTimeout.TotalMilliseconds);
                        return new ConnectionEnd(ConnectionNext.Identify, $"no {what} within {_options.ReadyTimeout.TotalSeconds:0.###} s");
                    }
                }

                if (length is null)
                {
                    return await ClosedByDiscordAsync(connection).ConfigureAwait(false);
                }

                var handled = await HandleMessageAsync(connection, length.Value, dispatches).ConfigureAwait(false);
                connection.ShrinkReceiveBuffer();
                if (handled is { } end)
                {
                    // Not 1000/1001: those would invalidate the session this client means to resume.
                    await CloseAsync(connection, (WebSocketCloseStatus)GatewayCloseCodes.Reconnecting, "reconnecting").ConfigureAwait(false);
                    return end;
                }
            }
        }
        catch (Exception ex) when (connection.IsZombie)
        {
            return new ConnectionEnd(ConnectionNext.Resume, "no heartbeat ACK (zombie connection)", Error: ex);
        }
        catch (Exception ex)
        {
            return new ConnectionEnd(ConnectionNext.Resume, $"connection lost: {ex.Message}", Error: ex);
        }
    }

    /// <summary>Reads one whole message (all its frames) into the connection's buffer; null when Discord closed.</summary>
    private async Task<int?> ReceiveMessageAsync(GatewayConnection connection, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            if (count == connection.ReceiveBuffer.Length)
            {
                connection.GrowReceiveBuffer(count, _options.MaxReceiveBytes);
            }

            var result = await connection.Socket.ReceiveAsync(connection.ReceiveBuffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return count;
            }
        }
    }

    /// <summary>HELLO's interval within [MinHeartbeatInterval, MaxHeartbeatInterval]; a clamped value is logged as a warning.</summary>
    private TimeSpan ClampHeartbeatInterval(TimeSpan asked)
    {
        var interval = asked < _options.MinHeartbeatInterval ? _options.MinHeartbeatInterval
            : asked > _options.MaxHeartbeatInterval ? _options.MaxHeartbeatInterval
            : asked;
        if (interval != asked)
        {
            GatewayLog.HeartbeatIntervalClamped(_logger, asked.TotalMilliseconds, interval.TotalMilliseconds);
        }

        return interval;
    }

    private static TimeSpan? ReadHeartbeatInterval(ReadOnlyMemory<byte> message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.Number && op.TryGetInt32(out var code) && code == GatewayOpcode.Hello
            && root.TryGetProperty("d", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("heartbeat_interval", out var interval) && interval.ValueKind == JsonValueKind.Number
            && interval.TryGetDouble(out var milliseconds) && double.IsFinite(milliseconds) && milliseconds > 0
            ? TimeSpan.FromMilliseconds(Math.Min(milliseconds, TimeSpan.FromDays(1).TotalMilliseconds))
            : null;
    }

    /// <summary>Handles one message; returns how the connection ends when the message ends it (op 7, op 9).</summary>
    private async ValueTask<ConnectionEnd?> HandleMessageAsync(GatewayConnection connection, int length, ChannelWriter<GatewayDispatch> dispatches)
    {
        var receivedAt = _time.GetTimestamp();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(connection.ReceiveBuffer.AsMemory(0, length));
        }
        catch (JsonException ex)
        {
            GatewayLog.MalformedMessage(_logger, ex, length);
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("op", out var opElement)
                || opElement.ValueKind != JsonValueKind.Number
                || !opElement.TryGetInt32(out var op))
            {
                GatewayLog.MalformedMessage(_logger, new JsonException("No numeric \"op\"."), length);
                return null;
            }

            if (!root.TryGetProperty("d", out var data))
            {
                data = default;
            }

            switch (op)
            {
                case GatewayOpcode.Dispatch:
                    await HandleDispatchAsync(connection, root, data, dispatches, receivedAt).ConfigureAwait(false);
                    return null;
                case GatewayOpcode.Heartbeat:
                    // Discord asks for a beat now; it does not replace the scheduled one. Only within the heartbeat
                    // reserve, past the slots the scheduled beats need: a flood of op 1 must not exceed 120 payloads.
                    if (connection.TryTakeHeartbeatSlot(scheduled: false, _options.ScheduledBeatsPerWindow(connection.HeartbeatInterval)))
                    {
                        await SendHeartbeatAsync(connection).ConfigureAwait(false);
                    }
                    else if (!connection.SkippedHeartbeatRequestLogged)
                    {
                        connection.SkippedHeartbeatRequestLogged = true;
                        GatewayLog.HeartbeatRequestSkipped(_logger, _options.ReservedHeartbeatSends, _options.SendWindow.TotalSeconds);
                    }

                    return null;
                case GatewayOpcode.HeartbeatAck:
                    connection.AckReceived = true;
                    return null;
                case GatewayOpcode.Reconnect:
                    GatewayLog.ReconnectRequested(_logger);
                    return new ConnectionEnd(ConnectionNext.Resume, "Discord asked to reconnect (op 7)");
                case GatewayOpcode.InvalidSession:
                    var resumable = data.ValueKind == JsonValueKind.True;
                    GatewayLog.InvalidSession(_logger, resumable);
                    if (!resumable)
                    {
                        _resumable = null;
                        return new ConnectionEnd(ConnectionNext.IdentifyAfterInvalidSession, "invalid session (op 9, not resumable)");
                    }

                    return new ConnectionEnd(ConnectionNext.Resume, "invalid session (op 9, resumable)");
                default:
                    GatewayLog.Received(_logger, op, null, null);
                    return null;
            }
        }
    }

    private async ValueTask HandleDispatchAsync(GatewayConnection connection, JsonElement root, JsonElement data, ChannelWriter<GatewayDispatch> dispatches, long receivedAt)
    {
        var type = root.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : string.Empty;
        long? sequence = root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var value) ? value : null;
        GatewayLog.Received(_logger, GatewayOpcode.Dispatch, GatewayLog.Bounded(type), sequence);

        // Only a RESUME's replay repeats events, and only those up to the sequence the RESUME carried. Anything else
        // is followed as it comes: a sequence that jumps (a broken or hostile gateway) is logged, never trusted to
        // silence the events after it, and heartbeats carry the last sequence received.
        if (sequence is { } n && connection.ResumedAfter is { } resumedAfter && !connection.IsReady && n <= resumedAfter)
        {
            GatewayLog.DuplicateDispatch(_logger, GatewayLog.Bounded(type), n, resumedAfter);
            return;
        }

        if (sequence is { } next)
        {
            var last = Interlocked.Exchange(ref _sequence, next);
            if (last != NoSequence && next != last + 1 && !connection.SequenceJumpLogged)
            {
                connection.SequenceJumpLogged = true;
                GatewayLog.SequenceJumped(_logger, last, next);
            }
        }

        if (type == "READY")
        {
            if (!OnReady(connection, data))
            {
                return;
            }
        }
        else if (type == "RESUMED")
        {
            if (connection.IsReady || !connection.IsResume)
            {
                GatewayLog.UnexpectedSessionEvent(_logger, type);
                return;
            }

            MarkReady(connection);
            GatewayLog.Resumed(_logger, GatewayLog.Bounded(_resumable?.SessionId ?? string.Empty), Interlocked.Read(ref _sequence));
            SetState(GatewayState.Connected);
        }

        var dispatch = new GatewayDispatch(type, sequence ?? Math.Max(Interlocked.Read(ref _sequence), 0), data.ValueKind == JsonValueKind.Undefined ? JsonNull : data.Clone())
        {
            ReceivedAt = receivedAt,
            Shard = _shard.Id,
        };
        if (!dispatches.TryWrite(dispatch))
        {
            GatewayLog.DispatchQueueFull(_logger, _options.DispatchQueueCapacity);
            await dispatches.WriteAsync(dispatch, connection.Token).ConfigureAwait(false);
        }
    }

    private void MarkReady(GatewayConnection connection)
    {
        connection.IsReady = true;
        connection.ReadyTimestamp = _time.GetTimestamp();
        Volatile.Write(ref _current, connection);
    }

    /// <summary>
    /// Takes the session from READY; false (and the READY is not passed on) when it is not the answer to this
    /// connection's IDENTIFY. The bot's identity is the first READY's for as long as the client runs: a later READY
    /// naming another user changes the session, never who the bot is.
    /// </summary>
    private bool OnReady(GatewayConnection connection, JsonElement data)
    {
        if (connection.IsReady || connection.IsResume)
        {
            GatewayLog.UnexpectedSessionEvent(_logger, "READY");
            return false;
        }

        var sessionId = ReadString(data, "session_id");
        var resumeAddress = ReadString(data, "resume_gateway_url");
        var userId = ReadSnowflake(data, "user");
        var applicationId = ReadSnowflake(data, "application");
        if (_identity is { } first)
        {
            if (first != (userId, applicationId))
            {
                GatewayLog.IdentityChanged(_logger, userId, applicationId, first.UserId, first.ApplicationId);
            }

            (userId, applicationId) = first;
        }
        else if (userId != 0)
        {
            _identity = (userId, applicationId);
        }

        var fallback = _identifyAddress ?? connection.Uri.ToString();
        if (resumeAddress is null || !IsGatewayAddress(resumeAddress))
        {
            GatewayLog.BadResumeUrl(_logger, GatewayLog.Bounded(resumeAddress ?? string.Empty), fallback);
            resumeAddress = fallback;
        }

        var session = new GatewaySession(sessionId ?? string.Empty, resumeAddress, userId, applicationId);
        Volatile.Write(ref _session, session);
        _resumable = sessionId is null ? null : session;
        MarkReady(connection);
        GatewayLog.Ready(_logger, GatewayLog.Bounded(session.SessionId), userId, applicationId);
        SetState(GatewayState.Connected);
        return true;

        static string? ReadString(JsonElement data, string name) =>
            data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;

        static ulong ReadSnowflake(JsonElement data, string objectName) =>
            data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty(objectName, out var obj) && obj.ValueKind == JsonValueKind.Object
            && ReadString(obj, "id") is { } id
            && ulong.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : 0;
    }

    private static bool IsGatewayAddress(string address)
    {
        try
        {
            GatewayUri.Build(address);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async ValueTask<ConnectionEnd> ClosedByDiscordAsync(GatewayConnection connection)
    {
        var status = connection.Socket.CloseStatus;
        var code = (int?)status;
        var description = connection.Socket.CloseStatusDescription;
        if (connection.Socket.State == WebSocketState.CloseReceived)
        {
            // Complete the handshake by echoing Discord's code, except 1000/1001: sent by this client they
            // would invalidate the session it is about to resume.
            var echo = status is null or WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable
                ? (WebSocketCloseStatus)GatewayCloseCodes.Reconnecting
                : status.Value;
            await CloseAsync(connection, echo, description).ConfigureAwait(false);
        }

        var reason = string.IsNullOrEmpty(description) ? "Discord closed the connection" : $"Discord closed the connection: {description}";
        if (connection.IsZombie)
        {
            return new ConnectionEnd(ConnectionNext.Resume, "no heartbeat ACK (zombie connection)", code);
        }

        return GatewayCloseCodes.Classify(code) switch
        {
            CloseCodeAction.Fatal => new ConnectionEnd(ConnectionNext.Fatal, reason, code),
            CloseCodeAction.Identify => new ConnectionEnd(ConnectionNext.Identify, reason, code),
            _ => new ConnectionEnd(ConnectionNext.Resume, reason, code),
        };
    }

    private async Task HeartbeatLoopAsync(GatewayConnection connection, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            // The first beat is spread over the interval so that many clients reconnecting at once do not beat together.
            var delay = interval * _options.NextJitter();
            while (true)
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                if (!connection.AckReceived)
                {
                    GatewayLog.Zombie(_logger, interval.TotalMilliseconds);
                    connection.MarkZombie();
                    await CloseAsync(connection, (WebSocketCloseStatus)GatewayCloseCodes.Reconnecting, "heartbeat not acknowledged").ConfigureAwait(false);

                    // Give a live peer the chance to answer the close; a dead one is dropped after the timeout.
                    await Task.Delay(_options.CloseTimeout, _time, cancellationToken).ConfigureAwait(false);
                    connection.Abort();
                    return;
                }

                delay = interval;
                if (!connection.TryTakeHeartbeatSlot(scheduled: true, keptForScheduled: 0))
                {
                    // Cannot happen within the validated options (op 1 answers leave the scheduled beats their
                    // slots); if it does, a missed beat costs a resume, a 121st payload costs the session.
                    GatewayLog.HeartbeatOverBudget(_logger, _options.ReservedHeartbeatSends);
                    continue;
                }

                connection.AckReceived = false;
                await SendHeartbeatAsync(connection).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The connection ended.
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // A beat that cannot be sent means the connection is gone; the receive loop takes it from here.
            connection.Abort();
        }
    }

    private async Task SendHeartbeatAsync(GatewayConnection connection)
    {
        var last = Interlocked.Read(ref _sequence);
        long? sequence = last == NoSequence ? null : last;
        await SendPayloadAsync(connection, GatewayPayloads.Heartbeat(sequence), GatewayOpcode.Heartbeat, limited: false, CancellationToken.None).ConfigureAwait(false);
        GatewayLog.HeartbeatSent(_logger, sequence);
    }

    /// <summary>
    /// Sends one payload. <paramref name="cancellationToken"/> only stops the waits (limiter, lock): cancelling
    /// the socket send itself would abort the connection.
    /// </summary>
    private async Task<bool> SendPayloadAsync(GatewayConnection connection, byte[] payload, int opcode, bool limited, CancellationToken cancellationToken)
    {
        if (payload.Length > _options.MaxPayloadBytes)
        {
            GatewayLog.PayloadTooLarge(_logger, opcode, payload.Length, _options.MaxPayloadBytes);
            return false;
        }

        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, cancellationToken);
        if (limited)
        {
            using var lease = await connection.Limiter.AcquireAsync(1, waiting.Token).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                GatewayLog.NotSent(_logger, opcode, "too many payloads are waiting for the send limiter");
                return false;
            }
        }

        await connection.SendLock.WaitAsync(waiting.Token).ConfigureAwait(false);
        try
        {
            // A send that cannot complete (a full TCP buffer towards a dead peer) must not hang the heartbeat:
            // the timeout aborts the socket and the receive loop reconnects.
            using var timeout = new CancellationTokenSource(_options.SendTimeout, _time);
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, timeout.Token);
            await connection.Socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, sending.Token).ConfigureAwait(false);
            return true;
        }
        finally
        {
            connection.SendLock.Release();
        }
    }

    /// <summary>Sends a close frame (never throws: the connection is being left either way).</summary>
    private async Task CloseAsync(GatewayConnection connection, WebSocketCloseStatus status, string? description)
    {
        var socket = connection.Socket;
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_options.CloseTimeout, _time);
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, timeout.Token);
            await connection.SendLock.WaitAsync(closing.Token).ConfigureAwait(false);
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(status, description, closing.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                connection.SendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone or slow; the socket is aborted by the caller.
        }
    }

    private async Task DispatchLoopAsync(ChannelReader<GatewayDispatch> reader, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken stopping)
    {
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (!stopping.IsCancellationRequested && reader.TryRead(out var dispatch))
                {
                    try
                    {
                        await onDispatch(dispatch, stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception ex)
                    {
                        // One bad event must not take the bot offline.
                        GatewayLog.HandlerFailed(_logger, ex, dispatch.Type, dispatch.Sequence);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private GatewayFatalException Fatal(int closeCode, string message)
    {
        GatewayLog.Fatal(_logger, closeCode, message);
        return new GatewayFatalException(closeCode, message);
    }

    private void SetState(GatewayState state)
    {
        GatewayState previous;
        lock (_stateLock)
        {
            previous = _state;
            if (previous == state)
            {
                return;
            }

            _state = state;
        }

        GatewayLog.StateChanged(_logger, state, previous);
        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception ex)
        {
            GatewayLog.StateChangedHandlerFailed(_logger, ex);
        }
    }

    private enum ConnectionNext
    {
        Resume,
        Identify,
        IdentifyAfterInvalidSession,
        Fatal,
        Stopped,
    }

    private readonly record struct ConnectionEnd(ConnectionNext Next, string Reason, int? CloseCode = null, Exception? Error = null)
    {
        /// <summary>READY or RESUMED arrived and the connection then stayed up for <see cref="GatewayClientOptions.ConnectionStableAfter"/>.</summary>
        public bool WasStable { get; init; }
    }
}
