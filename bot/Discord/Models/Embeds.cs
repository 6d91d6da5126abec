namespace CaravanBot.Bot.Discord.Models;

/// <summary>A rich embed. Discord's limits are enforced where embeds are built (see DiscordLimits).</summary>
public sealed record Embed
{
    /// <summary>Title, at most 256 characters.</summary>
    public string? Title { get; init; }

    /// <summary>Description, at most 4096 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Colour as 0xRRGGBB.</summary>
    public int? Color { get; init; }

    /// <summary>At most 25 fields.</summary>
    public IReadOnlyList<EmbedField>? Fields { get; init; }

    /// <summary>Footer.</summary>
    public EmbedFooter? Footer { get; init; }
}

/// <summary>An embed field: name at most 256, value at most 1024 characters.</summary>
public sealed record EmbedField
{
    /// <summary>Field name.</summary>
    public required string Name { get; init; }

    /// <summary>Field value.</summary>
    public required string Value { get; init; }

    /// <summary>Shown side by side with other inline fields.</summary>
    public bool? Inline { get; init; }
}

/// <summary>An embed footer, text at most 2048 characters.</summary>
public sealed record EmbedFooter
{
    /// <summary>Footer text.</summary>
    public required string Text { get; init; }
}

/// <summary>Discord's message and embed limits.</summary>
public static class DiscordLimits
{
    /// <summary>Characters of message content a bot may send.</summary>
    public const int Content = 2000;

    /// <summary>Embeds per message.</summary>
    public const int Embeds = 10;

    /// <summary>Characters of all embed text in one message.</summary>
    public const int EmbedTotal = 6000;

    /// <summary>Embed title.</summary>
    public const int EmbedTitle = 256;

    /// <summary>Embed description.</summary>
    public const int EmbedDescription = 4096;

    /// <summary>Fields per embed.</summary>
    public const int EmbedFields = 25;

    /// <summary>Embed field name.</summary>
    public const int EmbedFieldName = 256;

    /// <summary>Embed field value.</summary>
    public const int EmbedFieldValue = 1024;

    /// <summary>Embed footer text.</summary>
    public const int EmbedFooter = 2048;

    /// <summary>Component custom id.</summary>
    public const int CustomId = 100;

    /// <summary>Button label.</summary>
    public const int ButtonLabel = 80;

    /// <summary>Buttons per action row.</summary>
    public const int ButtonsPerRow = 5;

    /// <summary>Action rows per message.</summary>
    public const int ActionRows = 5;
}
