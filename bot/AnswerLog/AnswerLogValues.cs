using System.Globalization;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// What every store checks before it writes, and how it writes times, so the stores accept and keep the
/// same things: the contract tests hold each store to them.
/// </summary>
public static class AnswerLogValues
{
    /// <summary>Checks an answer before it is recorded.</summary>
    /// <exception cref="ArgumentException">A required field is missing, or the scores are not JSON.</exception>
    public static void Validate(NewAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ValidateActor(answer.Asker);
        ArgumentNullException.ThrowIfNull(answer.Question, nameof(answer));
        ArgumentNullException.ThrowIfNull(answer.AnswerText, nameof(answer));
        ArgumentNullException.ThrowIfNull(answer.Citations, nameof(answer));
        ArgumentException.ThrowIfNullOrWhiteSpace(answer.Source, nameof(answer));
        ArgumentException.ThrowIfNullOrWhiteSpace(answer.Mode, nameof(answer));
        if (answer.ScoresJson is null || !LoggedCitationsJson.IsValid(answer.ScoresJson))
        {
            throw new ArgumentException("ScoresJson must be one JSON value (an object, usually)", nameof(answer));
        }
    }

    /// <summary>Checks who acted.</summary>
    public static void ValidateActor(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Id, nameof(actor));
        ArgumentNullException.ThrowIfNull(actor.Name, nameof(actor));
    }

    /// <summary>Checks a status before it is appended.</summary>
    public static void ValidateStatus(AnswerStatus status)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "unknown answer status");
        }
    }

    /// <summary>Checks a correction before it is stored.</summary>
    public static void ValidateCorrection(Correction correction)
    {
        ArgumentNullException.ThrowIfNull(correction);
        ArgumentException.ThrowIfNullOrWhiteSpace(correction.Text, nameof(correction));
        ArgumentNullException.ThrowIfNull(correction.Citations, nameof(correction));
        ValidateActor(correction.By);
    }

    /// <summary>Checks a reader's vote.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vote"/> is not +1 or -1.</exception>
    public static void ValidateVote(int vote, Actor voter)
    {
        if (vote is not (1 or -1))
        {
            throw new ArgumentOutOfRangeException(nameof(vote), vote, "a vote is +1 (👍) or -1 (👎)");
        }

        ValidateActor(voter);
    }

    /// <summary>
    /// A time as stored: ISO 8601 round-trip text, so the offset the caller gave and its 100 ns precision are
    /// kept, equal instants compare equal when read back, and both stores hold the same text.
    /// </summary>
    public static string FormatTime(DateTimeOffset time) => time.ToString("o", CultureInfo.InvariantCulture);

    /// <summary>A stored time read back.</summary>
    /// <exception cref="FormatException">The column does not hold a time written by <see cref="FormatTime"/>.</exception>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "o", CultureInfo.InvariantCulture, DateTimeStyles.None);
}
