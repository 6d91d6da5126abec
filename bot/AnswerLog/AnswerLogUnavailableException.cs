namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log's file cannot be used: it was written by a newer CaravanBot, it is not an SQLite
/// database, or its schema is not one CaravanBot made. The message names the file and says what to do.
/// </summary>
public sealed class AnswerLogUnavailableException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the file.</summary>
    public AnswerLogUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
