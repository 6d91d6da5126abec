using System.Text.Json;
using System.Threading.Channels;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Tests.Features;

namespace CaravanBot.Bot.Tests.Hosting;

/// <summary>
/// A gateway that delivers the dispatches a test pushes, in order, like the real client: READY sets the
/// session first, each dispatch is awaited, cancellation stops it (throwing, as a client may), and
/// <see cref="Fail"/> ends it with an exception such as a fatal close.
/// </summary>
internal sealed class FakeGatewayClient : IGatewayClient
{
    private readonly Channel<object> _inbox = Channel.CreateUnbounded<object>();
    private long _sequence;

    public GatewayState State { get; private set; } = GatewayState.Disconnected;

    public GatewaySession? Session { get; private set; }

    public event Action<GatewayState>? StateChanged;

    /// <summary>Completes when <see cref="RunAsync"/> has started.</summary>
    public TaskCompletionSource Running { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once <see cref="RunAsync"/> saw its token cancelled.</summary>
    public bool StoppedByCancellation { get; private set; }

    public void Push(string type, JsonElement data) =>
        _inbox.Writer.TryWrite(new GatewayDispatch(type, Interlocked.Increment(ref _sequence), data));

    public void Fail(Exception exception) => _inbox.Writer.TryWrite(exception);

    public async Task RunAsync(Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        SetState(GatewayState.Connecting);
        SetState(GatewayState.Identifying);
        Running.TrySetResult();
        try
        {
            await foreach (var item in _inbox.Reader.ReadAllAsync(cancellationToken))
            {
                if (item is Exception exception)
                {
                    SetState(GatewayState.Stopped);
                    throw exception;
                }

                var dispatch = (GatewayDispatch)item;
                if (dispatch.Type == "READY")
                {
                    Session = new GatewaySession("session-1", "wss://resume.invalid", DiscordPayloads.BotUserId, DiscordPayloads.ApplicationId);
                    SetState(GatewayState.Connected);
                }

                await onDispatch(dispatch, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            StoppedByCancellation = true;
            SetState(GatewayState.Stopped);
            throw;
        }
    }

    private void SetState(GatewayState state)
    {
        State = state;
        StateChanged?.Invoke(state);
    }
}
