namespace CaravanBot.Bot.Discord.Models;

/// <summary>An application command to register (bulk overwrite body item).</summary>
public sealed record ApplicationCommandRequest
{
    /// <summary>Name: lower-case for slash commands, free text for context menus.</summary>
    public required string Name { get; init; }

    /// <summary>1 slash (CHAT_INPUT), 2 user, 3 message context menu.</summary>
    public int Type { get; init; } = 1;

    /// <summary>1–100 characters for slash commands; must be empty for context menus.</summary>
    public string? Description { get; init; }

    /// <summary>Options of a slash command.</summary>
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>Whether the command works in DMs (deprecated by Discord in favour of <see cref="Contexts"/>).</summary>
    public bool? DmPermission { get; init; }

    /// <summary>Where the command can be used: 0 guild, 1 the bot's DM, 2 other private channels.</summary>
    public IReadOnlyList<int>? Contexts { get; init; }
}

/// <summary>A slash command option.</summary>
public sealed record ApplicationCommandOption
{
    /// <summary>3 string, 4 integer, 5 boolean, 1 subcommand.</summary>
    public required int Type { get; init; }

    /// <summary>Option name.</summary>
    public required string Name { get; init; }

    /// <summary>Option description, 1–100 characters.</summary>
    public required string Description { get; init; }

    /// <summary>Must be given.</summary>
    public bool? Required { get; init; }

    /// <summary>String length bounds.</summary>
    public int? MinLength { get; init; }

    /// <summary>String length bounds.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Integer bounds.</summary>
    public int? MinValue { get; init; }

    /// <summary>Integer bounds.</summary>
    public int? MaxValue { get; init; }

    /// <summary>Nested options (subcommands).</summary>
    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>Fixed choices.</summary>
    public IReadOnlyList<ApplicationCommandChoice>? Choices { get; init; }
}

/// <summary>A fixed choice of a string option.</summary>
public sealed record ApplicationCommandChoice
{
    /// <summary>Shown name.</summary>
    public required string Name { get; init; }

    /// <summary>Value sent.</summary>
    public required string Value { get; init; }
}

/// <summary>A registered command as Discord returns it.</summary>
public sealed record ApplicationCommand
{
    /// <summary>Command id.</summary>
    public required Snowflake Id { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>Type.</summary>
    public int Type { get; init; } = 1;

    /// <summary>The application that owns the command.</summary>
    public Snowflake? ApplicationId { get; init; }

    /// <summary>The guild of a guild command; absent for global commands.</summary>
    public Snowflake? GuildId { get; init; }

    /// <summary>Description (empty for context-menu commands).</summary>
    public string? Description { get; init; }

    /// <summary>Changes whenever the command is updated.</summary>
    public Snowflake? Version { get; init; }
}

/// <summary>Response of <c>GET /gateway/bot</c>.</summary>
public sealed record GatewayBotInfo
{
    /// <summary>The WebSocket address to connect to.</summary>
    public required string Url { get; init; }

    /// <summary>Recommended shard count.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Identify budget.</summary>
    public SessionStartLimit? SessionStartLimit { get; init; }
}

/// <summary>How many IDENTIFYs remain and when the budget resets.</summary>
public sealed record SessionStartLimit
{
    /// <summary>Total per reset period.</summary>
    public int Total { get; init; }

    /// <summary>Remaining.</summary>
    public int Remaining { get; init; }

    /// <summary>Milliseconds until the budget resets.</summary>
    public long ResetAfter { get; init; }

    /// <summary>IDENTIFYs allowed per 5 seconds.</summary>
    public int MaxConcurrency { get; init; } = 1;
}
