using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Moderation;

/// <summary>Reads submitted form fields by their custom id.</summary>
public static class ModalValues
{
    /// <summary>The value of text input <paramref name="customId"/>, or null when the form has no such field.</summary>
    public static string? Get(InteractionData? data, string customId) =>
        data?.Components?
            .SelectMany(row => row.Components)
            .FirstOrDefault(input => input.CustomId == customId)?
            .Value;
}
