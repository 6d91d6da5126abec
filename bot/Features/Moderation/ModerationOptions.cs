using System.Globalization;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>What a moderator's Retract does to the public reply.</summary>
public enum RetractMode
{
    /// <summary>The reply is edited to say a moderator withdrew it; the thread keeps making sense.</summary>
    Edit,

    /// <summary>The reply is deleted.</summary>
    Delete,
}

/// <summary>
/// How moderators review answers, bound from the <c>Moderation</c> section
/// (<c>Moderation:ReviewChannelId</c>, <c>Moderation:RoleIds:0</c>, <c>Moderation:RetractMode</c>, …).
/// </summary>
public sealed class ModerationOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Moderation";

    /// <summary>
    /// The threshold chosen by the calibration below: see <see cref="CorrectionSimilarity"/>.
    /// </summary>
    public const double CalibratedCorrectionSimilarity = 0.79;

    /// <summary>
    /// The channel every answer is mirrored to as a review card. Unset: no cards are posted
    /// (answers are still logged, and <c>/review</c> still works).
    /// </summary>
    public ulong? ReviewChannelId { get; set; }

    /// <summary>
    /// Roles whose members may review, besides everyone with Manage Messages in the channel.
    /// Empty by default: on most servers the people who may delete messages are the moderators.
    /// </summary>
    public List<ulong> RoleIds { get; set; } = [];

    /// <summary>Edit (default) keeps the conversation readable; Delete removes the reply.</summary>
    public RetractMode RetractMode { get; set; } = RetractMode.Edit;

    /// <summary>
    /// Readers' 👎 that move an answer to flagged (actor "readers"). Three: one unhappy reader is an
    /// opinion, three independent ones are worth a moderator's look, and a small server still gets there.
    /// </summary>
    public int FlagAfterDownvotes { get; set; } = 3;

    /// <summary>
    /// Cosine similarity (all-MiniLM-L6-v2, lower-cased question without punctuation) from which a
    /// new question counts as meaning the same as a corrected one, provided both ask with the same
    /// question word and neither or both are negated (<see cref="QuestionForm"/>).
    /// <para>
    /// Calibration (tests/Bot.Tests/Moderation/CorrectionMatcherCalibrationTests.cs): 52 labelled pairs
    /// about the seed article, 28 that mean the same ("What does Mexico want?" / "What is Mexico asking
    /// the US for?") and 24 that do not ("What does Mexico want?" / "What does the US want?"), many of
    /// them deliberately hard (one word apart). Each threshold from 0.60 to 0.95 was scored; the fewest
    /// errors (18) are reached at 0.61–0.70, 0.76 and 0.79–0.80, and of those 0.79 serves the fewest
    /// wrong corrections (2 of 24 different pairs; 12 of 28 paraphrases served, 16 missed). It sits in
    /// the gap between the highest different pair below it (0.787, "want" / "offered to do") and the
    /// lowest paraphrase above it (0.800). Precision comes first: a missed paraphrase gets the engine's
    /// own answer, a wrong match would show a moderator's answer to another question as verified.
    /// The test fails if this value serves more than 2 different pairs or misses more than 16 paraphrases.
    /// </para>
    /// </summary>
    public double CorrectionSimilarity { get; set; } = CalibratedCorrectionSimilarity;

    /// <summary>Answers per page of <c>/review queue</c>: five stay readable in one ephemeral embed.</summary>
    public int QueuePageSize { get; set; } = 5;

    /// <summary>
    /// How often a running bot looks for moderators' changes from a terminal that no bot has shown in Discord yet,
    /// among them those whose edit Discord failed (given back to be tried again). Thirty seconds: a withdrawn
    /// answer comes down soon after Discord recovers, and the look is one small query.
    /// </summary>
    public TimeSpan FollowUpRetryInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Start-up validation of <see cref="ModerationOptions"/>.</summary>
public sealed class ModerationOptionsValidator : IValidateOptions<ModerationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ReviewChannelId is 0)
        {
            failures.Add("Moderation:ReviewChannelId must be a channel id (a snowflake), not 0; leave it unset to post no review cards.");
        }

        if (options.RoleIds.Any(id => id == 0))
        {
            failures.Add("Moderation:RoleIds must hold role ids (snowflakes); 0 is not one.");
        }

        if (!Enum.IsDefined(options.RetractMode))
        {
            failures.Add($"Moderation:RetractMode must be Edit or Delete, not {options.RetractMode}.");
        }

        if (options.FollowUpRetryInterval <= TimeSpan.Zero)
        {
            failures.Add($"Moderation:FollowUpRetryInterval must be positive, not {options.FollowUpRetryInterval}.");
        }

        if (options.FlagAfterDownvotes is < 1 or > 1000)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Moderation:FlagAfterDownvotes must be between 1 and 1000, not {options.FlagAfterDownvotes}."));
        }

        if (double.IsNaN(options.CorrectionSimilarity) || options.CorrectionSimilarity is <= 0 or > 1)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Moderation:CorrectionSimilarity must be above 0 and at most 1 (a cosine similarity), not {options.CorrectionSimilarity}."));
        }

        if (options.QueuePageSize is < 1 or > 10)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Moderation:QueuePageSize must be between 1 and 10, not {options.QueuePageSize}."));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
