using System.Text.Json;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Features;

/// <summary>Reads slash-command option values by name, tolerating absent or mistyped values.</summary>
public static class InteractionOptionValues
{
    /// <summary>A string option, or null.</summary>
    public static string? String(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>
    /// True unless the option is absent or a real JSON <c>false</c>: for options that must fail closed, such as
    /// <c>private</c>, where a string <c>"true"</c>, a <c>1</c> or anything unexpected must not make an answer public.
    /// </summary>
    public static bool IsSet(InteractionData? data, string name) =>
        data?.Options?.FirstOrDefault(o => o.Name == name) is { } option
        && option.Value is not { ValueKind: JsonValueKind.False };

    /// <summary>A boolean option, or null.</summary>
    public static bool? Boolean(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>An integer option, or null.</summary>
    public static long? Integer(InteractionData? data, string name) =>
        Find(data, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number) ? number : null;

    private static JsonElement? Find(InteractionData? data, string name) =>
        data?.Options?.FirstOrDefault(o => o.Name == name)?.Value;
}
