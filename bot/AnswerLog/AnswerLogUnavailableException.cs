namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log cannot be used: it was written by a newer CaravanBot, it is not a database of the
/// configured store's kind (for SQLite: not an SQLite file), or its schema is not one CaravanBot made.
/// The message names the file (or database) and says what to do.
/// </summary>
public sealed class AnswerLogUnavailableException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the file.</summary>
    public AnswerLogUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
