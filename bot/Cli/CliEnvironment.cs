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
        Out = Console.Out,
        Error = Console.Error,
        InputIsTerminal = !Console.IsInputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
    };

    /// <summary>The default article: <c>articles/caravan.txt</c> next to the program.</summary>
    public string DefaultArticlePath => Path.Combine(BaseDirectory, "articles", "caravan.txt");

    /// <summary>The tuning half of the bundled dev set: <c>eval/tune.jsonl</c> next to the program.</summary>
    public string TuneQuestionsPath => Path.Combine(BaseDirectory, "eval", "tune.jsonl");

    /// <summary>The held-out half of the bundled dev set: <c>eval/test.jsonl</c> next to the program.</summary>
    public string TestQuestionsPath => Path.Combine(BaseDirectory, "eval", "test.jsonl");
}
