using System.Collections.Concurrent;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>One REST call as Discord would receive it: method, route and the JSON body.</summary>
internal sealed record RestCall(string Method, string Route, JsonElement Body)
{
    /// <summary>The interaction callback type (4, 5, …) of a callback body.</summary>
    public int CallbackType => Body.GetProperty("type").GetInt32();

    /// <summary>The message part: the body itself, or a callback's <c>data</c>.</summary>
    public JsonElement Message => Route.EndsWith("/callback", StringComparison.Ordinal) ? Body.GetProperty("data") : Body;
}

/// <summary>
/// An in-memory <see cref="IDiscordRestClient"/> that records every call with its body serialised
/// exactly as the real client would send it (<see cref="DiscordJson.Options"/>).
/// </summary>
internal sealed class RecordingDiscordRestClient : IDiscordRestClient
{
    private readonly ConcurrentQueue<RestCall> _calls = new();
    private long _nextId = 900_000;

    public IReadOnlyList<RestCall> Calls => _calls.ToArray();

    /// <summary>When set, a call for which it returns an exception throws it (after being recorded).</summary>
    public Func<RestCall, Exception?>? Fail { get; set; }

    /// <summary>Waits until <paramref name="done"/> holds for the recorded calls.</summary>
    public async Task<IReadOnlyList<RestCall>> WaitForAsync(Func<IReadOnlyList<RestCall>, bool> done, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!done(Calls))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Expected REST calls did not arrive; got: {string.Join(", ", Calls.Select(c => c.Method + " " + c.Route))}");
            }

            await Task.Delay(10);
        }

        return Calls;
    }

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new GatewayBotInfo { Url = "wss://gateway.invalid" });

    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        Record("POST", $"/channels/{channelId}/messages", message);
        return Task.FromResult(Sent(channelId));
    }

    public Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, MessageEditRequest message, CancellationToken cancellationToken = default)
    {
        Record("PATCH", $"/channels/{channelId}/messages/{messageId}", message);
        return Task.FromResult(Sent(channelId));
    }

    public Task DeleteMessageAsync(Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken = default)
    {
        Record("DELETE", $"/channels/{channelId}/messages/{messageId}", null);
        return Task.CompletedTask;
    }

    public Task CreateInteractionResponseAsync(Snowflake interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken = default)
    {
        Record("POST", $"/interactions/{interactionId}/{interactionToken}/callback", response);
        return Task.CompletedTask;
    }

    public Task<DiscordMessage> EditOriginalResponseAsync(Snowflake applicationId, string interactionToken, MessageEditRequest message, CancellationToken cancellationToken = default)
    {
        Record("PATCH", $"/webhooks/{applicationId}/{interactionToken}/messages/@original", message);
        return Task.FromResult(Sent(new Snowflake(1)));
    }

    public Task<DiscordMessage> GetOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default)
    {
        Record("GET", $"/webhooks/{applicationId}/{interactionToken}/messages/@original", null);
        return Task.FromResult(Sent(new Snowflake(1)));
    }

    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreateRequest message, CancellationToken cancellationToken = default)
    {
        Record("POST", $"/webhooks/{applicationId}/{interactionToken}", message);
        return Task.FromResult(Sent(new Snowflake(1)));
    }

    /// <summary>Channels <see cref="GetChannelAsync"/> calls DMs (type 1); any other channel is a guild text channel.</summary>
    public HashSet<ulong> DirectMessageChannels { get; } = [DiscordPayloads.DmChannelId];

    /// <summary>Channels looked up with <c>GET /channels/{id}</c> (kept apart from <see cref="Calls"/>, which are what readers see).</summary>
    public ConcurrentQueue<ulong> ChannelLookups { get; } = new();

    public Task<DiscordChannel> GetChannelAsync(Snowflake channelId, CancellationToken cancellationToken = default)
    {
        ChannelLookups.Enqueue(channelId.Value);
        return Task.FromResult(DirectMessageChannels.Contains(channelId.Value)
            ? new DiscordChannel { Id = channelId, Type = (int)ChannelType.DirectMessage }
            : new DiscordChannel { Id = channelId, Type = (int)ChannelType.GuildText, GuildId = new Snowflake(DiscordPayloads.GuildId) });
    }

    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(
        Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default)
    {
        Record("PUT", guildId is { } guild ? $"/applications/{applicationId}/guilds/{guild}/commands" : $"/applications/{applicationId}/commands", commands);
        IReadOnlyList<ApplicationCommand> registered = commands
            .Select((c, i) => new ApplicationCommand { Id = new Snowflake((ulong)(800 + i)), Name = c.Name, Type = c.Type })
            .ToArray();
        return Task.FromResult(registered);
    }

    private void Record(string method, string route, object? body)
    {
        var json = body is null
            ? default
            : JsonSerializer.SerializeToElement(body, body.GetType(), DiscordJson.Options);
        var call = new RestCall(method, route, json);
        _calls.Enqueue(call);
        if (Fail?.Invoke(call) is { } exception)
        {
            throw exception;
        }
    }

    private DiscordMessage Sent(Snowflake channelId) =>
        new() { Id = new Snowflake((ulong)Interlocked.Increment(ref _nextId)), ChannelId = channelId };
}
