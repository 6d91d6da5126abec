namespace CaravanBot.Bot.Cli;

/// <summary>A questions file cannot be read; reported in one line with exit code 3.</summary>
public sealed class CliInputException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the file.</summary>
    public CliInputException(string message, Exception? inner = null) : base(message, inner) { }
}
