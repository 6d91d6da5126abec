using System.Collections.Concurrent;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Which channels are direct messages, where the bot answers without being mentioned. A message without a
/// <c>guild_id</c> is not proof of a DM (a broken or hostile gateway may leave it out of a guild message), so the
/// channel's type decides: from CHANNEL_CREATE when Discord sends one, else from <c>GET /channels/{id}</c> once per
/// channel. When the type cannot be learnt the channel is not treated as a DM (the bot then answers mentions only).
/// </summary>
public sealed partial class DirectChannels
{
    // Channel ids are remembered up to this many; beyond it the memory starts over (each costs one GET again).
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<ulong, bool> _known = new();
    private readonly IDiscordRestClient _rest;
    private readonly ILogger<DirectChannels> _logger;

    /// <summary>Creates the registry.</summary>
    public DirectChannels(IDiscordRestClient rest, ILogger<DirectChannels> logger)
    {
        _rest = rest;
        _logger = logger;
    }

    /// <summary>Remembers a channel Discord described (CHANNEL_CREATE).</summary>
    public void Remember(DiscordChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Set(channel.Id, channel.IsDirect);
    }

    /// <summary>True when <paramref name="channelId"/> is a DM or group DM.</summary>
    public async Task<bool> IsDirectAsync(Snowflake channelId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(channelId.Value, out var direct))
        {
            return direct;
        }

        try
        {
            var channel = await _rest.GetChannelAsync(channelId, cancellationToken).ConfigureAwait(false);
            Set(channelId, channel.IsDirect);
            return channel.IsDirect;
        }
        catch (DiscordRestException ex) when (ex.StatusCode is 403 or 404)
        {
            // Not a channel the bot may read as a DM: remembered, so it is not asked again.
            Set(channelId, false);
            LogUnknownChannel(channelId.Value, ex.StatusCode);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLookupFailed(ex, channelId.Value);
            return false;
        }
    }

    private void Set(Snowflake channelId, bool direct)
    {
        if (_known.Count >= Capacity)
        {
            _known.Clear();
        }

        _known[channelId.Value] = direct;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message without a guild came from channel {ChannelId}, which Discord does not show as a DM ({StatusCode}); answering mentions only there")]
    private partial void LogUnknownChannel(ulong channelId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not learn whether channel {ChannelId} is a DM; answering mentions only there for now")]
    private partial void LogLookupFailed(Exception exception, ulong channelId);
}
