namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>The gateway intents CaravanBot may ask for (bits of IDENTIFY's <c>intents</c>).</summary>
[Flags]
public enum GatewayIntents
{
    /// <summary>No events beyond the always-sent ones.</summary>
    None = 0,

    /// <summary>GUILDS (1 &lt;&lt; 0): guild create/update/delete, channels, threads.</summary>
    Guilds = 1 << 0,

    /// <summary>GUILD_MESSAGES (1 &lt;&lt; 9): message create/update/delete in guilds.</summary>
    GuildMessages = 1 << 9,

    /// <summary>DIRECT_MESSAGES (1 &lt;&lt; 12): messages in DMs.</summary>
    DirectMessages = 1 << 12,

    /// <summary>
    /// MESSAGE_CONTENT (1 &lt;&lt; 15), privileged: must be enabled in the developer portal
    /// (Bot → Privileged Gateway Intents) or Discord closes the gateway with 4014.
    /// </summary>
    MessageContent = 1 << 15,

    /// <summary>What CaravanBot needs to read questions in guild channels and DMs: 1 | 512 | 4096 | 32768 = 37377.</summary>
    CaravanBotDefault = Guilds | GuildMessages | DirectMessages | MessageContent,
}
