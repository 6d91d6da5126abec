namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// A status change as the change feed reports it: enough to find the answer and decide what to do.
/// </summary>
/// <param name="Sequence">The change's position in the log (increasing with every change, in commit order on one store).</param>
/// <param name="AnswerId">The answer it changed.</param>
/// <param name="Status">The new status.</param>
/// <param name="AwaitsFollowUp">
/// True when it was written by a program that does not update Discord itself (<c>caravanbot review</c>) and no
/// bot process has claimed it yet (<see cref="IAnswerLogChanges.ClaimFollowUpAsync"/>).
/// </param>
public sealed record AnswerLogChange(long Sequence, long AnswerId, AnswerStatus Status, bool AwaitsFollowUp);

/// <summary>
/// Which kind of program writes through an answer log, which decides who shows its status changes in Discord.
/// A bot process edits the public reply and the review card itself as it changes a status; a terminal
/// (<c>caravanbot review approve|flag|retract|correct</c>) leaves that to a running bot, so each of its
/// changes is recorded as a follow-up that exactly one bot process claims. Registered by the program;
/// a store without one writes as <see cref="Bot"/>.
/// </summary>
public sealed class AnswerLogWriter
{
    private AnswerLogWriter(string name, bool leavesFollowUpToTheBot)
    {
        Name = name;
        LeavesFollowUpToTheBot = leavesFollowUpToTheBot;
    }

    /// <summary>A bot process (<c>caravanbot run</c>): it shows its own changes.</summary>
    public static AnswerLogWriter Bot { get; } = new("bot", leavesFollowUpToTheBot: false);

    /// <summary>A moderator's terminal (<c>caravanbot review</c>): a running bot shows its changes.</summary>
    public static AnswerLogWriter Terminal { get; } = new("terminal", leavesFollowUpToTheBot: true);

    /// <summary>"bot" or "terminal".</summary>
    public string Name { get; }

    /// <summary>True when each status change written is left for a running bot to show.</summary>
    public bool LeavesFollowUpToTheBot { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The answer log's change feed: how a running bot learns of status changes committed by any other process
/// (a moderator's terminal, another bot process) to keep its own state (served corrections) and Discord (the
/// public reply, the review card) in line. Every store implements it: PostgreSQL is told at once by
/// LISTEN/NOTIFY, SQLite is polled cheaply. Positions are the changes' <see cref="AnswerLogChange.Sequence"/>.
/// </summary>
public interface IAnswerLogChanges
{
    /// <summary>The position of the latest committed change (0 when there is none): where a new follower starts.</summary>
    Task<long> GetLatestChangeAsync(CancellationToken cancellationToken = default);

    /// <summary>The changes committed after position <paramref name="after"/>, oldest first, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<AnswerLogChange>> GetChangesAfterAsync(long after, int take, CancellationToken cancellationToken = default);

    /// <summary>Every change still awaiting a follow-up (written while no bot ran, or claimed by none yet), oldest first.</summary>
    Task<IReadOnlyList<AnswerLogChange>> GetPendingFollowUpsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the follow-up of change <paramref name="sequence"/> for <paramref name="claimant"/> (a process name);
    /// true for exactly one caller across every process, false for everyone else and for a change that awaits none.
    /// </summary>
    Task<bool> ClaimFollowUpAsync(long sequence, string claimant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives back the follow-up of change <paramref name="sequence"/> that <paramref name="claimant"/> claimed but could
    /// not show (Discord did not answer or failed), so it awaits a follow-up again and any bot process may claim it;
    /// true when it was <paramref name="claimant"/>'s to give back.
    /// </summary>
    Task<bool> ReleaseFollowUpAsync(long sequence, string claimant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when a change may have been committed since the last call (PostgreSQL: a notification arrived;
    /// SQLite: the poll interval passed), or after <paramref name="longest"/> at the latest. A wake-up
    /// without a change is possible; the caller then reads nothing new.
    /// </summary>
    Task WaitForChangeAsync(TimeSpan longest, CancellationToken cancellationToken = default);
}
