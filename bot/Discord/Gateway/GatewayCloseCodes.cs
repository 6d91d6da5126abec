using System.Globalization;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>What to do after the gateway closed with a given code (Discord's table in GATEWAY.md).</summary>
internal enum CloseCodeAction
{
    /// <summary>Reconnect and RESUME (4000–4003, 4005, 4008, abnormal drops and anything unknown).</summary>
    Resume,

    /// <summary>The session is gone: reconnect and IDENTIFY anew (4007, 4009).</summary>
    Identify,

    /// <summary>Reconnecting cannot help: stop and tell the operator (4004, 4010–4014).</summary>
    Fatal,
}

/// <summary>Discord's gateway close codes and the operator-facing explanation of the fatal ones.</summary>
internal static class GatewayCloseCodes
{
    /// <summary>
    /// The code CaravanBot closes with when it means to resume (zombie connection, op 7, op 9):
    /// anything but 1000/1001, which would invalidate the session.
    /// </summary>
    public const int Reconnecting = 4000;

    /// <summary>The message when <c>GET /gateway/bot</c> answers 401: the same cause as close code 4004.</summary>
    public const string UnauthorizedGatewayBotMessage =
        "GET /gateway/bot answered 401, authentication failed: the bot token is wrong or was reset (Discord:Token / DISCORD_TOKEN). "
        + "Copy the current token from the developer portal (Bot → Reset Token) into DISCORD_TOKEN and restart.";

    /// <summary>Classifies a close code; null (no code, e.g. a dropped TCP connection) resumes.</summary>
    public static CloseCodeAction Classify(int? code) => code switch
    {
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => CloseCodeAction.Fatal,
        4007 or 4009 => CloseCodeAction.Identify,
        _ => CloseCodeAction.Resume,
    };

    /// <summary>The message of the <see cref="GatewayFatalException"/> for a fatal code: the cause, then the fix.</summary>
    public static string FatalMessage(int code, GatewayIntents intents) => code switch
    {
        4004 => "Discord closed the gateway with 4004, authentication failed: the bot token is wrong or was reset (Discord:Token / DISCORD_TOKEN). "
            + "Copy the current token from the developer portal (Bot → Reset Token) into DISCORD_TOKEN and restart.",
        4010 => "Discord closed the gateway with 4010, invalid shard: the shard sent in IDENTIFY is not valid. "
            + "CaravanBot runs a single unsharded connection, so this points at a client defect; report it.",
        4011 => "Discord closed the gateway with 4011, sharding required: the bot is in too many guilds for one connection. "
            + "CaravanBot does not shard; remove the bot from guilds or run a sharded build.",
        4012 => $"Discord closed the gateway with 4012, invalid API version: the gateway rejected v={GatewayUri.ApiVersion}. "
            + "Update CaravanBot to a version that speaks the current gateway API.",
        4013 => $"Discord closed the gateway with 4013, invalid intents: the intents bit set {((int)intents).ToString(CultureInfo.InvariantCulture)} is not valid. "
            + "Check Discord:Gateway:Intents.",
        4014 => "Discord closed the gateway with 4014, disallowed intents: privileged intent MESSAGE_CONTENT not enabled in the developer portal "
            + "(Bot → Privileged Gateway Intents). Enable \"Message Content Intent\" for the application and restart, "
            + "or leave MessageContent out of Discord:Gateway:Intents.",
        _ => $"Discord closed the gateway with {code.ToString(CultureInfo.InvariantCulture)}, after which reconnecting cannot help.",
    };
}
