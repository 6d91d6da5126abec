using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// What the command line reads from and writes to, and what it knows about them. The process
/// passes the console; tests pass string readers and writers and a temporary folder.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Standard input: questions for <c>chat</c>, <c>--file -</c> and <c>--article -</c>.</summary>
    public required TextReader In { get; init; }

    /// <summary>Standard output: answers, paragraphs and reports only.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: errors, progress, the chat banner and prompts.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>True when a person types on standard input (chat then shows a prompt).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>True when a person reads standard error (progress is then shown without <c>--verbose</c>).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The folder holding <c>articles/caravan.txt</c> and <c>eval/tune.jsonl</c> and <c>eval/test.jsonl</c>.</summary>
    public string BaseDirectory { get; init; } = AppContext.BaseDirectory;

    /// <summary>Reads an environment variable (<c>CARAVANBOT_DEBUG</c>).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The process console.</summary>
    public static CliEnvironment FromConsole() => new()
    {
        In = Console.In,
        Out = StandardOutput(),
        Error = Console.Error,
        InputIsTerminal = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };

    /// <summary>
    /// Standard output as a plain file stream. <see cref="Console.Out"/> silently drops what it cannot
    /// write once the reader of a pipe has gone (<c>caravanbot ask --file - | head -1</c>), so a command
    /// would go on answering — and calling a language model — for nobody; written through a file stream,
    /// the write fails with "broken pipe" and the command stops (see <see cref="Cli"/>). Flushed by the
    /// commands after each answer or block of answers.
    /// </summary>
    private static TextWriter StandardOutput()
    {
        if (OperatingSystem.IsWindows() || !Console.IsOutputRedirected)
        {
            return Console.Out;
        }

        try
        {
            var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096) { AutoFlush = false };
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
        {
            return Console.Out;
        }
    }

    /// <summary>The default article: <c>articles/caravan.txt</c> next to the program.</summary>
    public string DefaultArticlePath => Path.Combine(BaseDirectory, "articles", "caravan.txt");

    /// <summary>The tuning half of the bundled dev set: <c>eval/tune.jsonl</c> next to the program.</summary>
    public string TuneQuestionsPath => Path.Combine(BaseDirectory, "eval", "tune.jsonl");

    /// <summary>The held-out half of the bundled dev set: <c>eval/test.jsonl</c> next to the program.</summary>
    public string TestQuestionsPath => Path.Combine(BaseDirectory, "eval", "test.jsonl");
}
