using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CaravanBot.Bot.Hosting;
using CaravanBot.FakeDiscord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// One end-to-end run: the real bot host (real gateway and REST clients, real engine and seed article) against
/// the loopback Discord fakes, with what a reader does (mention, slash command) and what a reader sees (the
/// requests the fake REST server received) as helpers. <see cref="AssertEveryRequestValid"/> holds every request
/// to Discord's schema and to "pings nobody".
/// </summary>
internal sealed partial class EndToEndBot : IAsyncDisposable
{
    public const ulong Channel = 1310000000000000004;

    /// <summary>How long a reply may take on a busy machine; a healthy bot answers in tens of milliseconds.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(20);

    private static long _nextAuthor = 1320000000000100000;

    static EndToEndBot()
    {
        // As in GatewayHarness: some tests beat every few hundred milliseconds, and on a loaded 2-core machine the
        // thread pool's slow growth would show up as a stalled heartbeat rather than anything about the bot.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(completionPorts, 16));
    }

    private EndToEndBot(LoopbackBot bot)
    {
        Bot = bot;
    }

    public LoopbackBot Bot { get; }

    public FakeRestServer Rest => Bot.Rest;

    public FakeGatewayServer Gateway => Bot.Gateway;

    public LogCapture Logs => Bot.Logs;

    public IHost Host => Bot.Host;

    /// <summary>
    /// Builds the bot against fresh fakes; <paramref name="arrange"/> scripts them before the bot connects. Heartbeats
    /// default to every 30 s so they stay out of the way (a test about heartbeats sets its own interval).
    /// </summary>
    public static async Task<EndToEndBot> CreateAsync(SharedModel model, Action<LoopbackBot>? arrange = null, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var bot = await LoopbackBot.CreateAsync(configuration, model.Embedder);
        bot.Gateway.HeartbeatIntervalMs = 30_000;
        arrange?.Invoke(bot);
        return new EndToEndBot(bot);
    }

    /// <summary><see cref="CreateAsync"/>, then starts the bot and waits until it is ready.</summary>
    public static async Task<EndToEndBot> StartAsync(SharedModel model, Action<LoopbackBot>? arrange = null, IReadOnlyDictionary<string, string?>? configuration = null)
    {
        var bot = await CreateAsync(model, arrange, configuration);
        try
        {
            await bot.Bot.StartAsync();
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>A reader id no other question in this process has used (so the per-reader limit stays out of the way).</summary>
    public static ulong NewAuthor() => (ulong)Interlocked.Increment(ref _nextAuthor);

    public static string Id(JsonObject message) => message["id"]!.GetValue<string>();

    /// <summary>Sends a mention of the bot with <paramref name="question"/> on the gateway; returns the message.</summary>
    public async Task<JsonObject> MentionAsync(string question, ulong? author = null, ulong channel = Channel)
    {
        var message = Bot.Mention(question, author ?? NewAuthor(), channel);
        await Gateway.DispatchAsync("MESSAGE_CREATE", message);
        return message;
    }

    /// <summary>A mention recorded in the session but never sent: only a RESUME's replay delivers it.</summary>
    public JsonObject AddMissedMention(string question)
    {
        var message = Bot.Mention(question, NewAuthor());
        Gateway.AddMissedDispatch("MESSAGE_CREATE", message);
        return message;
    }

    /// <summary>Sends any MESSAGE_CREATE <c>d</c>.</summary>
    public async Task<JsonObject> SendMessageAsync(JsonObject message)
    {
        await Gateway.DispatchAsync("MESSAGE_CREATE", message);
        return message;
    }

    /// <summary>An <c>/ask</c> interaction (with <c>private</c> when given), as Discord dispatches it.</summary>
    public JsonObject AskCommand(string question, bool? isPrivate = null, string? token = null)
    {
        var interaction = Gateway.SlashCommandInteraction(
            "ask",
            new Dictionary<string, string> { ["question"] = question },
            token ?? "itoken-" + Guid.NewGuid().ToString("N"),
            userId: NewAuthor());
        if (isPrivate is { } value)
        {
            interaction["data"]!["options"]!.AsArray().Add(new JsonObject { ["name"] = "private", ["type"] = 5, ["value"] = value });
        }

        return interaction;
    }

    public static bool IsChannelMessage(RecordedRequest request) => request.Is("POST", "/channels/{channel_id}/messages");

    /// <summary>Whether <paramref name="request"/> is a reply (POST in the channel, <c>message_reference</c>) to <paramref name="messageId"/>.</summary>
    public static bool IsReplyTo(RecordedRequest request, string messageId) =>
        IsChannelMessage(request)
        && request.Json.TryGetProperty("message_reference", out var reference)
        && reference.TryGetProperty("message_id", out var id)
        && id.GetString() == messageId;

    public static bool IsReplyTo(RecordedRequest request, JsonObject message) => IsReplyTo(request, Id(message));

    /// <summary>Waits for the first reply to <paramref name="message"/> to arrive (whatever it is answered with).</summary>
    public Task<RecordedRequest> WaitForReplyAsync(JsonObject message, TimeSpan? timeout = null) =>
        Rest.WaitForRequestAsync(r => IsReplyTo(r, message), timeout ?? ReplyTimeout);

    /// <summary>Waits until <paramref name="count"/> attempts to reply to <paramref name="message"/> have arrived.</summary>
    public Task<IReadOnlyList<RecordedRequest>> WaitForReplyAttemptsAsync(JsonObject message, int count, TimeSpan? timeout = null) =>
        Rest.WaitForRequestsAsync(r => IsReplyTo(r, message), count, timeout ?? ReplyTimeout);

    /// <summary>Every request that replied (or tried to) to <paramref name="message"/>.</summary>
    public IReadOnlyList<RecordedRequest> RepliesTo(JsonObject message) => [.. Rest.Requests.Where(r => IsReplyTo(r, message))];

    /// <summary>Waits until the server has answered <paramref name="request"/> and returns the status.</summary>
    public async Task<int> ResponseStatusAsync(RecordedRequest request)
    {
        await Gateway.WaitUntilAsync(() => request.ResponseStatus is not null, $"the answer to {request}", ReplyTimeout);
        return request.ResponseStatus!.Value;
    }

    /// <summary>The bot's hosted service (its internals say how many answers are still being written).</summary>
    public DiscordBotService Service => Host.Services.GetServices<IHostedService>().OfType<DiscordBotService>().Single();

    /// <summary>Waits until no message or interaction is being handled any more.</summary>
    public Task WaitUntilIdleAsync() =>
        Gateway.WaitUntilAsync(() => Service.HandlersInFlight == 0, "the bot's handlers to finish", ReplyTimeout);

    /// <summary>
    /// Asks <paramref name="sentinel"/> last and waits for its reply: the gateway hands dispatches over in order, so
    /// every earlier one (replays included) has reached a handler by then; then waits for the handlers to finish.
    /// After this, no further reply to an earlier question can appear.
    /// </summary>
    public async Task<JsonObject> SettleAsync(string sentinel = "Who is Blinken meeting?")
    {
        var last = await MentionAsync(sentinel);
        await WaitForReplyAsync(last);
        await WaitUntilIdleAsync();
        return last;
    }

    /// <summary>
    /// Each question got exactly one reply, and it was accepted (2xx): none unanswered, none answered twice by a
    /// replayed dispatch; and there is no reply to anything else.
    /// </summary>
    public async Task AssertEachAnsweredOnceAsync(IReadOnlyCollection<JsonObject> questions)
    {
        var replies = Rest.Requests.Where(IsChannelMessage).ToList();
        foreach (var question in questions)
        {
            var reply = Assert.Single(replies, r => IsReplyTo(r, question));
            Assert.Equal(200, await ResponseStatusAsync(reply));
        }

        Assert.Equal(questions.Count, replies.Count);
    }

    public IReadOnlyList<FakeGatewayPayload> Payloads(int op) => [.. Gateway.Received.Where(p => p.Op == op)];

    /// <summary>The commands were written once (one bulk overwrite per process), whatever happened to the connection.</summary>
    public void AssertCommandsRegisteredOnce()
    {
        var put = Assert.Single(Rest.Requests, r => r.Method == "PUT");
        Assert.True(put.Is("PUT", "/applications/{application_id}/commands"), put.ToString());
    }

    /// <summary>
    /// Every request the bot sent: valid for Discord's schema and CaravanBot's rules (<see cref="DiscordSchema"/>),
    /// content at most 2000 characters, <c>allowed_mentions.parse</c> empty on every message body, and no text
    /// that would read as a mass or role mention.
    /// </summary>
    public void AssertEveryRequestValid()
    {
        var requests = Rest.Requests;
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            DiscordSchema.AssertValid(request);
            if (request.Body.Length == 0 || request.Method == "PUT")
            {
                continue;
            }

            var message = request.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
                ? request.Json.TryGetProperty("data", out var data) ? data : (JsonElement?)null
                : request.Json;
            if (message is not { ValueKind: JsonValueKind.Object } body)
            {
                continue;
            }

            if (body.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                Assert.True(content.GetString()!.Length <= 2000, $"{request}: content of {content.GetString()!.Length} characters");
            }

            // Whatever shows text (a deferral's "thinking…" shows none) says who may be pinged: nobody.
            if (body.TryGetProperty("content", out _) || body.TryGetProperty("embeds", out _))
            {
                Assert.True(body.TryGetProperty("allowed_mentions", out var allowed), $"{request} has no allowed_mentions: {request.Body}");
                Assert.Equal(JsonValueKind.Array, allowed.GetProperty("parse").ValueKind);
                Assert.Empty(allowed.GetProperty("parse").EnumerateArray());
            }

            foreach (var text in Strings(body))
            {
                Assert.DoesNotMatch(MassMention(), text);
                Assert.DoesNotMatch(RawMention(), text);
            }
        }
    }

    /// <summary>Every string in a JSON value (what Discord would render or parse).</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    public static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Bot.DisposeAsync();

    [GeneratedRegex("@(everyone|here)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MassMention();

    [GeneratedRegex(@"<@[!&]?\d+>", RegexOptions.CultureInvariant)]
    private static partial Regex RawMention();
}
