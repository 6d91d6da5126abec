namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>Gateway opcodes (the <c>op</c> field).</summary>
public static class GatewayOpcode
{
    /// <summary>Receive: an event (<c>t</c>, <c>s</c>, <c>d</c>).</summary>
    public const int Dispatch = 0;

    /// <summary>Send and receive: a heartbeat carrying the last sequence number.</summary>
    public const int Heartbeat = 1;

    /// <summary>Send: start a new session.</summary>
    public const int Identify = 2;

    /// <summary>Send: update the bot's presence.</summary>
    public const int PresenceUpdate = 3;

    /// <summary>Send: join, move or leave voice channels.</summary>
    public const int VoiceStateUpdate = 4;

    /// <summary>Send: continue a session.</summary>
    public const int Resume = 6;

    /// <summary>Receive: reconnect and resume.</summary>
    public const int Reconnect = 7;

    /// <summary>Send: request guild members.</summary>
    public const int RequestGuildMembers = 8;

    /// <summary>Receive: the session is invalid; <c>d</c> says whether it may be resumed.</summary>
    public const int InvalidSession = 9;

    /// <summary>Receive: first message on a connection, carrying <c>heartbeat_interval</c>.</summary>
    public const int Hello = 10;

    /// <summary>Receive: a heartbeat was acknowledged.</summary>
    public const int HeartbeatAck = 11;
}
