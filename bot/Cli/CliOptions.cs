using System.CommandLine;

namespace CaravanBot.Bot.Cli;

/// <summary>Options several commands share, spelled and described the same everywhere.</summary>
internal static class CliOptions
{
    /// <summary><c>--article PATH</c>; <paramref name="standardInput"/> is false where stdin already carries the questions.</summary>
    public static Option<string?> Article(bool standardInput = true) => new("--article")
    {
        Description = standardInput
            ? "The article to read: a plain-text or .html file, or - for standard input (default: the bundled caravan story)"
            : "The article to read: a plain-text or .html file (default: the bundled caravan story)",
        HelpName = "PATH",
    };

    /// <summary><c>--json</c> with a description of what it prints for this command.</summary>
    public static Option<bool> Json(string description) => new("--json") { Description = description };
}
