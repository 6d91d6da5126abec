namespace CaravanBot.Bot.Cli;

/// <summary>The command line asks for something impossible; reported in one line with exit code 2.</summary>
public sealed class CliUsageException : Exception
{
    /// <summary>Creates the exception with a one-line message that says how to fix the command.</summary>
    public CliUsageException(string message) : base(message) { }
}
