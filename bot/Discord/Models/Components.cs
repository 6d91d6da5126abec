using System.Text.Json.Serialization;

namespace CaravanBot.Bot.Discord.Models;

/// <summary>A row of up to five buttons (component type 1).</summary>
public sealed record ActionRow
{
    /// <summary>Always 1.</summary>
    public int Type { get; init; } = 1;

    /// <summary>The buttons (or text inputs, inside a modal).</summary>
    public required IReadOnlyList<Component> Components { get; init; }
}

/// <summary>A button (type 2) or a modal text input (type 4).</summary>
public sealed record Component
{
    /// <summary>2 = button, 4 = text input.</summary>
    public required int Type { get; init; }

    /// <summary>Button style: 1 primary, 2 secondary, 3 success, 4 danger, 5 link. Text input style: 1 short, 2 paragraph.</summary>
    public int? Style { get; init; }

    /// <summary>Visible label (80 characters for buttons, 45 for text inputs).</summary>
    public string? Label { get; init; }

    /// <summary>Identifies the component in the interaction that a click sends (at most 100 characters).</summary>
    public string? CustomId { get; init; }

    /// <summary>Address of a link button.</summary>
    public string? Url { get; init; }

    /// <summary>Emoji shown on a button.</summary>
    public PartialEmoji? Emoji { get; init; }

    /// <summary>Greyed out.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Text input: must be filled.</summary>
    public bool? Required { get; init; }

    /// <summary>Text input: fewest characters.</summary>
    public int? MinLength { get; init; }

    /// <summary>Text input: most characters.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Text input: placeholder.</summary>
    public string? Placeholder { get; init; }

    /// <summary>Text input: pre-filled value, and the value submitted in a modal.</summary>
    public string? Value { get; init; }

    /// <summary>Builds a button.</summary>
    public static Component Button(int style, string label, string customId) =>
        new() { Type = 2, Style = style, Label = label, CustomId = customId };
}

/// <summary>A unicode emoji on a button.</summary>
public sealed record PartialEmoji
{
    /// <summary>The emoji character(s).</summary>
    public required string Name { get; init; }

    /// <summary>Custom emoji id (unused: unicode only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Snowflake? Id { get; init; }
}
