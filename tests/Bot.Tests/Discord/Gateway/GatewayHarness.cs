using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>
/// A <see cref="FakeGatewayServer"/> and a <see cref="GatewayClient"/> pointed at it, with timings shrunk
/// (back-off, invalid-session wait, identify spacing) and every dispatch, state and log entry recorded.
/// </summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    /// <summary>Opaque on purpose: not three dot-separated parts.</summary>
    public const string Token = "tok3n-CaravanBot-SECRET-7f3a9";

    private readonly List<GatewayDispatch> _dispatches = [];
    private readonly List<GatewayState> _states = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private ILoggerFactory? _loggerFactory;

    static GatewayHarness()
    {
        // These tests run heartbeats every few hundred milliseconds. On a loaded 2-core machine, the test host's
        // own blocked threads plus cold JIT can starve the thread pool for the half second it takes to add a
        // thread, which at such intervals shows up as a stalled heartbeat. (At Discord's ~41 s interval such a
        // stall is noise.) More threads up front keep the timings about the client, not the runner.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(completionPorts, 16));
    }

    private GatewayHarness(FakeGatewayServer server)
    {
        Server = server;
        Discord = new DiscordOptions { Token = Token, GatewayUrl = server.GatewayUrl };
    }

    public FakeGatewayServer Server { get; }

    public DiscordOptions Discord { get; }

    public GatewayClientOptions Options { get; } = new()
    {
        ReconnectBackoffBase = TimeSpan.FromMilliseconds(20),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
        InvalidSessionDelayMin = TimeSpan.FromMilliseconds(100),
        InvalidSessionDelayMax = TimeSpan.FromMilliseconds(200),
        IdentifyInterval = TimeSpan.Zero,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        HelloTimeout = TimeSpan.FromSeconds(5),
        SendTimeout = TimeSpan.FromSeconds(5),
        CloseTimeout = TimeSpan.FromSeconds(1),

        // Heartbeats every few hundred milliseconds, in a send window shrunk to match (Discord: 5 s, 60 s).
        MinHeartbeatInterval = TimeSpan.FromMilliseconds(50),
        SendWindow = TimeSpan.FromSeconds(2),
        ReservedHeartbeatSends = 50,
    };

    public LogCapture Logs { get; } = new();

    public GatewayClient Client { get; private set; } = null!;

    /// <summary>Replaces the default handler (which records every dispatch); it runs after the recording.</summary>
    public Func<GatewayDispatch, CancellationToken, ValueTask>? Handler { get; set; }

    public Task? Run { get; private set; }

    public IReadOnlyList<GatewayDispatch> Dispatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _dispatches];
            }
        }
    }

    public IReadOnlyList<GatewayState> States
    {
        get
        {
            lock (_gate)
            {
                return [.. _states];
            }
        }
    }

    public IEnumerable<GatewayDispatch> Messages => Dispatches.Where(d => d.Type == "MESSAGE_CREATE");

    public static async Task<GatewayHarness> CreateAsync(Action<FakeGatewayServer>? configureServer = null)
    {
        var server = await FakeGatewayServer.StartAsync();
        configureServer?.Invoke(server);
        return new GatewayHarness(server);
    }

    /// <summary>
    /// <c>GET /gateway/bot</c> as the client sees it unless a test passes its own: an address nobody listens on
    /// (the configured <see cref="DiscordOptions.GatewayUrl"/> wins) and a full session-start budget.
    /// </summary>
    public GatewayBotRestStub GatewayBot { get; } = new(() => new GatewayBotInfo
    {
        Url = "wss://gateway-bot-address.invalid",
        SessionStartLimit = new SessionStartLimit { Total = 1000, Remaining = 999, ResetAfter = 14_400_000, MaxConcurrency = 1 },
    });

    /// <summary>Creates the client and starts <see cref="GatewayClient.RunAsync"/> in the background.</summary>
    public void Start(IDiscordRestClient? rest = null)
    {
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Client = new GatewayClient(
            Microsoft.Extensions.Options.Options.Create(Discord),
            rest ?? GatewayBot,
            _loggerFactory.CreateLogger<GatewayClient>(),
            TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(Options));
        Client.StateChanged += state =>
        {
            lock (_gate)
            {
                _states.Add(state);
            }
        };
        Run = Task.Run(() => Client.RunAsync(OnDispatchAsync, _stop.Token));
    }

    /// <summary>Starts the client and waits for READY.</summary>
    public async Task StartAndWaitForReadyAsync()
    {
        Start();
        await WaitForConnectedAsync(sessionCount: 1);
    }

    /// <summary>Waits until the client is Connected with the given number of READYs behind it.</summary>
    public Task WaitForConnectedAsync(int sessionCount) =>
        WaitUntilAsync(
            () => Client.State == GatewayState.Connected && Dispatches.Count(d => d.Type == "READY") >= sessionCount,
            $"READY #{sessionCount}");

    /// <summary>Polls until <paramref name="condition"/> holds; fails early, with RunAsync's exception, if RunAsync ends first.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        await Server.WaitUntilAsync(() => condition() || Run is { IsCompleted: true }, description, timeout);
        if (!condition())
        {
            throw new InvalidOperationException($"RunAsync ended (state {Client.State}) while waiting for {description}.", Run?.Exception);
        }
    }

    /// <summary>Cancels RunAsync and waits for it to return.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (Run is not null)
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (Run is not null)
        {
            try
            {
                await Run.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is GatewayFatalException or TimeoutException or InvalidOperationException)
            {
                // The test has asserted what it needed; disposal must not hide its result.
            }
        }

        await Server.DisposeAsync();
        _loggerFactory?.Dispose();
        _stop.Dispose();
    }

    private async ValueTask OnDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _dispatches.Add(dispatch);
        }

        if (Handler is { } handler)
        {
            await handler(dispatch, cancellationToken);
        }
    }
}
