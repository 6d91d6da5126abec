using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// The gateway as the bot uses it: one <see cref="GatewayClient"/> per shard this process owns
/// (<see cref="DiscordOptions.ShardCount"/>, <see cref="DiscordOptions.ShardIds"/>), run side by side and handing
/// their dispatches to one handler, each stamped with its shard. Discord routes a guild's events to shard
/// <c>(guild_id &gt;&gt; 22) % count</c> and direct messages to shard 0, so processes that own different shards never
/// see the same event. IDENTIFYs are spaced by <see cref="IdentifyGate"/>. A fatal close on any shard (a bad token
/// closes them all) stops every shard and is thrown.
/// </summary>
public sealed class ShardedGatewayClient : IGatewayClient
{
    private readonly IOptions<DiscordOptions> _discordOptions;
    private readonly IDiscordRestClient _rest;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ShardedGatewayClient> _logger;
    private readonly TimeProvider _time;
    private readonly IOptions<GatewayClientOptions> _gatewayOptions;
    private readonly IdentifyGate _identifyGate;
    private readonly ShardPlan _plan;
    private readonly Lock _gate = new();
    private GatewayClient[] _clients = [];
    private GatewayState _state = GatewayState.Disconnected;

    /// <summary>Creates the client; the shards are made when <see cref="RunAsync"/> starts (after <c>auto</c> is resolved).</summary>
    /// <exception cref="FormatException">The shard settings do not parse (the options validator reports them first).</exception>
    public ShardedGatewayClient(
        IOptions<DiscordOptions> discordOptions,
        IDiscordRestClient rest,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        IOptions<GatewayClientOptions> gatewayOptions,
        IdentifyGate identifyGate)
    {
        ArgumentNullException.ThrowIfNull(discordOptions);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _discordOptions = discordOptions;
        _rest = rest;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ShardedGatewayClient>();
        _time = timeProvider;
        _gatewayOptions = gatewayOptions;
        _identifyGate = identifyGate;
        _plan = ShardPlan.Parse(discordOptions.Value.ShardCount, discordOptions.Value.ShardIds);
    }

    /// <inheritdoc />
    /// <remarks>Connected only when every shard is; otherwise the state of the first shard that is not.</remarks>
    public GatewayState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The first shard's session that has one: every shard's READY names the same bot and application.</remarks>
    public GatewaySession? Session => Volatile.Read(ref _clients).Select(c => c.Session).FirstOrDefault(s => s is not null);

    /// <inheritdoc />
    public IReadOnlyList<GatewayShardStatus> Shards =>
        [.. Volatile.Read(ref _clients).Select(c => new GatewayShardStatus(c.Shard, c.State, c.Reconnects))];

    /// <inheritdoc />
    public event Action<GatewayState>? StateChanged;

    /// <inheritdoc />
    public async Task RunAsync(Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onDispatch);
        var shards = _plan.Resolve(_plan.IsAutomatic ? await RecommendedShardsAsync(cancellationToken).ConfigureAwait(false) : 1);
        var clients = shards.Select(CreateClient).ToArray();
        Volatile.Write(ref _clients, clients);
        ShardLog.Running(_logger, string.Join(", ", shards.Select(s => s.Id)), shards[0].Count);
        foreach (var client in clients)
        {
            client.StateChanged += _ => UpdateState();
        }

        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = clients.Select(client => RunShardAsync(client, onDispatch, stopAll)).ToArray();
        try
        {
            await Task.WhenAll(runs).ConfigureAwait(false);
        }
        catch (GatewayFatalException)
        {
            throw runs.Select(r => r.Exception?.InnerException).OfType<GatewayFatalException>().First();
        }
        finally
        {
            UpdateState();
        }
    }

    private static async Task RunShardAsync(GatewayClient client, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationTokenSource stopAll)
    {
        try
        {
            await client.RunAsync(onDispatch, stopAll.Token).ConfigureAwait(false);
        }
        catch
        {
            // A shard refused for good (the token, the intents) means the others will be too: stop them cleanly.
            await stopAll.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The shard count <c>GET /gateway/bot</c> recommends, for <c>Discord:ShardCount=auto</c>.</summary>
    private async Task<int> RecommendedShardsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var info = await _rest.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
            ShardLog.Recommended(_logger, info.Shards);
            return info.Shards;
        }
        catch (DiscordRestException ex) when (ex.StatusCode == 401)
        {
            throw new GatewayFatalException(4004, GatewayCloseCodes.UnauthorizedGatewayBotMessage);
        }
    }

    private GatewayClient CreateClient(GatewayShard shard)
    {
        ILogger<GatewayClient> logger = shard.Count == 1
            ? _loggerFactory.CreateLogger<GatewayClient>()
            : new ShardLogger(_loggerFactory.CreateLogger<GatewayClient>(), shard);
        return new GatewayClient(_discordOptions, _rest, logger, _time, _gatewayOptions, shard, _identifyGate);
    }

    private void UpdateState()
    {
        GatewayState state;

        // Shards change state on their own threads: the states are read under the lock, so the last update to take
        // it has seen every shard's latest state and a stale reading can never overwrite a fresh one.
        lock (_gate)
        {
            var states = Volatile.Read(ref _clients).Select(c => c.State).ToArray();
            state = states.Length == 0 ? GatewayState.Disconnected
                : states.All(s => s == GatewayState.Connected) ? GatewayState.Connected
                : states.All(s => s == GatewayState.Stopped) ? GatewayState.Stopped
                : states.First(s => s != GatewayState.Connected);
            if (_state == state)
            {
                return;
            }

            _state = state;
        }

        StateChanged?.Invoke(state);
    }

    /// <summary>Prefixes a shard's log lines with "[shard 1/4]", keeping their structured properties.</summary>
    private sealed class ShardLogger(ILogger<GatewayClient> inner, GatewayShard shard) : ILogger<GatewayClient>
    {
        private readonly string _prefix = $"[{shard}] ";

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, (s, e) => _prefix + formatter(s, e));
    }
}

internal static partial class ShardLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Running gateway shards {ShardIds} of {ShardCount}")]
    public static partial void Running(ILogger logger, string shardIds, int shardCount);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "GET /gateway/bot recommends {Shards} shard(s)")]
    public static partial void Recommended(ILogger logger, int shards);
}
