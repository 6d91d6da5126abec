namespace CaravanBot.Bot.AnswerLog;

/// <summary>One version of the answer log's schema: what the step to it adds.</summary>
/// <param name="Version">The schema version after the step.</param>
/// <param name="Description">What the step adds, for the log and the error messages.</param>
public sealed record AnswerLogSchemaVersion(int Version, string Description);

/// <summary>
/// The answer log's schema versions, one scheme for every store: each store has one migration step per
/// version here, written in its own SQL, applied in order at start-up, each in its own transaction that
/// re-reads the version under the store's write lock (so two processes starting at once never apply a step
/// twice, and a failed step leaves the previous version). A log at a version above
/// <see cref="LatestVersion"/> is from a newer CaravanBot and is refused unchanged. Steps are never edited
/// once shipped: a change is a new version, added here and to every store.
/// </summary>
public static class AnswerLogSchema
{
    /// <summary>Every version, oldest first; <c>Versions[i].Version == i + 1</c>.</summary>
    public static IReadOnlyList<AnswerLogSchemaVersion> Versions { get; } =
    [
        new(1, "answers and their status history"),
        new(2, "corrections, reader feedback, review card ids, append-only history"),
        new(3, "the article of each answer and correction"),
        new(4, "follow-ups: moderators' changes made outside the bot, for a running bot to show in Discord"),
    ];

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => Versions[^1].Version;

    /// <summary>The message for a log from a newer CaravanBot, naming it and saying what to do.</summary>
    public static string NewerMessage(string log, int version, string setting) =>
        $"the answer log {log} has schema version {version}, newer than this CaravanBot understands ({LatestVersion}); "
        + $"run a newer CaravanBot, or point {setting} at another log. The log was not changed.";
}
