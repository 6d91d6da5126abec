namespace CaravanBot.Bot.Cli;

/// <summary>The process exit codes of <c>caravanbot</c>, as documented in the README.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (an abstention is a success too).</summary>
    public const int Success = 0;

    /// <summary>Something unexpected failed inside CaravanBot; the one-line message says what.</summary>
    public const int InternalError = 1;

    /// <summary>The command line was wrong: unknown command or option, missing or conflicting arguments. Also: no arguments at all.</summary>
    public const int Usage = 2;

    /// <summary>The article, the questions file or the evaluation set is missing, unreadable, empty or malformed.</summary>
    public const int InputUnavailable = 3;

    /// <summary><c>run</c>: Discord refused the gateway for good (a fatal close code such as 4004 or 4014).</summary>
    public const int GatewayRefused = 4;

    /// <summary>The user interrupted the command (Ctrl+C), following the shell's 128 + SIGINT convention.</summary>
    public const int Cancelled = 130;

    /// <summary>Standard output was closed by its reader (<c>| head -1</c>): the command stopped, following the shell's 128 + SIGPIPE convention.</summary>
    public const int OutputClosed = 141;
}
