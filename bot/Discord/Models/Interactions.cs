using System.Text.Json;

namespace CaravanBot.Bot.Discord.Models;

/// <summary>Interaction types.</summary>
public enum InteractionType
{
    /// <summary>Ping (HTTP endpoint only).</summary>
    Ping = 1,

    /// <summary>Slash or context-menu command.</summary>
    ApplicationCommand = 2,

    /// <summary>Button click.</summary>
    MessageComponent = 3,

    /// <summary>Autocomplete.</summary>
    ApplicationCommandAutocomplete = 4,

    /// <summary>Modal submitted.</summary>
    ModalSubmit = 5,
}

/// <summary>An interaction as INTERACTION_CREATE delivers it (the fields the bot reads).</summary>
public sealed record Interaction
{
    /// <summary>Interaction id (used in the callback URL).</summary>
    public required Snowflake Id { get; init; }

    /// <summary>The application's id.</summary>
    public required Snowflake ApplicationId { get; init; }

    /// <summary>What kind of interaction.</summary>
    public required InteractionType Type { get; init; }

    /// <summary>Command, component or modal data.</summary>
    public InteractionData? Data { get; init; }

    /// <summary>Guild, absent in DMs.</summary>
    public Snowflake? GuildId { get; init; }

    /// <summary>Channel.</summary>
    public Snowflake? ChannelId { get; init; }

    /// <summary>Invoking member, in guilds.</summary>
    public GuildMember? Member { get; init; }

    /// <summary>Invoking user, in DMs.</summary>
    public DiscordUser? User { get; init; }

    /// <summary>Continuation token, valid 15 minutes.</summary>
    public required string Token { get; init; }

    /// <summary>For component interactions: the message the component is on.</summary>
    public DiscordMessage? Message { get; init; }

    /// <summary>The invoking user wherever the interaction happened.</summary>
    public DiscordUser? Invoker => Member?.User ?? User;
}

/// <summary>Interaction data (command, component, or modal).</summary>
public sealed record InteractionData
{
    /// <summary>Command id.</summary>
    public Snowflake? Id { get; init; }

    /// <summary>Command name.</summary>
    public string? Name { get; init; }

    /// <summary>1 slash, 2 user, 3 message command.</summary>
    public int? Type { get; init; }

    /// <summary>Slash command options.</summary>
    public IReadOnlyList<InteractionOption>? Options { get; init; }

    /// <summary>Component or modal custom id.</summary>
    public string? CustomId { get; init; }

    /// <summary>1 action row, 2 button...</summary>
    public int? ComponentType { get; init; }

    /// <summary>Context-menu target (a message id).</summary>
    public Snowflake? TargetId { get; init; }

    /// <summary>Resolved objects (messages for a message context menu).</summary>
    public ResolvedData? Resolved { get; init; }

    /// <summary>Modal: the submitted rows of text inputs.</summary>
    public IReadOnlyList<ActionRow>? Components { get; init; }
}

/// <summary>A slash command option value.</summary>
public sealed record InteractionOption
{
    /// <summary>Option name.</summary>
    public required string Name { get; init; }

    /// <summary>Option type (3 string, 4 integer, 5 boolean, 1 subcommand).</summary>
    public int Type { get; init; }

    /// <summary>The value, as sent.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>Nested options of a subcommand.</summary>
    public IReadOnlyList<InteractionOption>? Options { get; init; }
}

/// <summary>Objects an interaction refers to.</summary>
public sealed record ResolvedData
{
    /// <summary>Messages by id.</summary>
    public IReadOnlyDictionary<string, DiscordMessage>? Messages { get; init; }
}

/// <summary>Interaction callback types.</summary>
public enum InteractionCallbackType
{
    /// <summary>Answer with a message (within 3 s).</summary>
    ChannelMessageWithSource = 4,

    /// <summary>Acknowledge; the message follows by editing @original.</summary>
    DeferredChannelMessageWithSource = 5,

    /// <summary>Acknowledge a component without a message.</summary>
    DeferredUpdateMessage = 6,

    /// <summary>Edit the message a component is on.</summary>
    UpdateMessage = 7,

    /// <summary>Open a modal.</summary>
    Modal = 9,
}

/// <summary>Body of <c>POST /interactions/{id}/{token}/callback</c>.</summary>
public sealed record InteractionResponse
{
    /// <summary>Callback type.</summary>
    public required InteractionCallbackType Type { get; init; }

    /// <summary>A <see cref="MessageCreateRequest"/> (types 4, 5 and 7) or a <see cref="ModalData"/> (type 9); serialised as its runtime type.</summary>
    public object? Data { get; init; }
}

/// <summary>Body of a modal callback's data (type 9).</summary>
public sealed record ModalData
{
    /// <summary>Identifies the submitted modal.</summary>
    public required string CustomId { get; init; }

    /// <summary>Title, at most 45 characters.</summary>
    public required string Title { get; init; }

    /// <summary>Rows of one text input each.</summary>
    public required IReadOnlyList<ActionRow> Components { get; init; }
}
