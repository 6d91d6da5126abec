using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

/// <summary>Answers <c>GET /gateway/bot</c> from a function; the gateway needs no other REST call.</summary>
internal sealed class GatewayBotRestStub : IDiscordRestClient
{
    private readonly Func<GatewayBotInfo> _gatewayBot;
    private int _calls;

    public GatewayBotRestStub(Func<GatewayBotInfo> gatewayBot)
    {
        _gatewayBot = gatewayBot;
    }

    public int GatewayBotCalls => Volatile.Read(ref _calls);

    public Task<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(_gatewayBot());
    }

    public Task<DiscordMessage> CreateMessageAsync(Snowflake channelId, MessageCreateRequest message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DiscordMessage> EditMessageAsync(Snowflake channelId, Snowflake messageId, MessageEditRequest message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteMessageAsync(Snowflake channelId, Snowflake messageId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CreateInteractionResponseAsync(Snowflake interactionId, string interactionToken, InteractionResponse response, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DiscordMessage> EditOriginalResponseAsync(Snowflake applicationId, string interactionToken, MessageEditRequest message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DiscordMessage> GetOriginalResponseAsync(Snowflake applicationId, string interactionToken, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DiscordMessage> CreateFollowupMessageAsync(Snowflake applicationId, string interactionToken, MessageCreateRequest message, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DiscordChannel> GetChannelAsync(Snowflake channelId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<ApplicationCommand>> BulkOverwriteCommandsAsync(Snowflake applicationId, Snowflake? guildId, IReadOnlyList<ApplicationCommandRequest> commands, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
