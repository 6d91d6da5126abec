using System.Text.Json;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Features;

/// <summary>Reads slash-command option values by name, tolerating absent or mistyped values.</summary>
public static class InteractionOptionValues
{
    /// <summary>A string option, or null.</summary>
    public static string? String(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A boolean option, or null.</summary>
    public static bool? Boolean(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>An integer option, or null.</summary>
    public static long? Integer(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    private static JsonElement? Find(InteractionData? data, string name) =>
        data?.Options?.FirstOrDefault(o => o.Name == name)?.Value;
}
