using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Features;

/// <summary>
/// How the bot treats readers, bound from the same <c>Discord</c> section as the protocol's
/// options (<c>Discord:QuestionsPerMinute</c>, <c>Discord:DeferAnswers</c>, <c>Discord:DeferAfter</c>).
/// </summary>
public sealed class DiscordFeatureOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Discord";

    /// <summary>
    /// Questions one reader may ask per minute (slash command, context menu, mention or DM together).
    /// Five leaves room for a reader's follow-ups (one every 12 s) while a script or a stuck key
    /// cannot keep the engine busy or flood a channel.
    /// </summary>
    public int QuestionsPerMinute { get; set; } = 5;

    /// <summary>
    /// True: always acknowledge an interaction first (type 5) and edit the answer in afterwards.
    /// False (default): answer directly (type 4), deferring only when the answer service says it may
    /// be slow (<see cref="IAnswerLatencyHint"/>) or the answer is not ready after <see cref="DeferAfter"/>.
    /// </summary>
    public bool DeferAnswers { get; set; }

    /// <summary>
    /// How long to wait for an answer before acknowledging with type 5. Discord's deadline is 3 s from
    /// when it sent the interaction; 2 s leaves a second for gateway delivery and the callback's trip.
    /// </summary>
    public TimeSpan DeferAfter { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Start-up validation of <see cref="DiscordFeatureOptions"/>.</summary>
public sealed class DiscordFeatureOptionsValidator : IValidateOptions<DiscordFeatureOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiscordFeatureOptions options)
    {
        var failures = new List<string>();
        if (options.QuestionsPerMinute is < 1 or > 1000)
        {
            failures.Add($"Discord:QuestionsPerMinute must be between 1 and 1000, not {options.QuestionsPerMinute}.");
        }

        if (options.DeferAfter < TimeSpan.Zero || options.DeferAfter > TimeSpan.FromSeconds(2.5))
        {
            failures.Add($"Discord:DeferAfter must be between 00:00:00 and 00:00:02.5 (Discord's deadline is 3 s), not {options.DeferAfter}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
