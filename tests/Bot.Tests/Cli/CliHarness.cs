using System.Text.Json;
using CaravanBot.Bot.Cli;
using CaravanBotCli = CaravanBot.Bot.Cli.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>
/// Runs the real command line in-process with string streams, a temporary program folder holding a
/// small default article, and the fake engine (or the real one, with <see cref="UseRealEngine"/>).
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public const string DefaultArticle =
        "Migrant caravan heads for US border\n"
        + "Mexico wants sanctions on Cuba and Venezuela lifted and “development aid” for the region, said Andrés Manuel López Obrador.\n"
        + "Families slept on scraps of plastic in Tapachula on Christmas Day.\n"
        + "Blinken will meet officials in Mexico City on Wednesday.\n";

    public CliHarness()
    {
        Directory.CreateDirectory(Path.Combine(BaseDirectory, "articles"));
        File.WriteAllText(Path.Combine(BaseDirectory, "articles", "caravan.txt"), DefaultArticle);
    }

    public string BaseDirectory { get; } = Directory.CreateTempSubdirectory("caravanbot-cli-").FullName;

    public FakeAnswererProvider Answerers { get; } = new();

    public FakeArticleReader Reader { get; } = new();

    public Dictionary<string, string> Variables { get; } = [];

    public bool UseRealEngine { get; init; }

    public bool ErrorIsTerminal { get; set; }

    public bool InputIsTerminal { get; set; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Writes <paramref name="text"/> to a file in the temporary folder and returns its path.</summary>
    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(BaseDirectory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new CliEnvironment
        {
            In = new StringReader(input),
            Out = stdout,
            Error = stderr,
            InputIsTerminal = InputIsTerminal,
            ErrorIsTerminal = ErrorIsTerminal,
            BaseDirectory = BaseDirectory,
            GetEnvironmentVariable = name => Variables.GetValueOrDefault(name),
        };
        Action<IServiceCollection>? fakes = UseRealEngine ? null : services =>
        {
            services.AddSingleton<IArticleReader>(Reader);
            services.AddSingleton<IAnswererProvider>(Answerers);
        };
        var exitCode = await CaravanBotCli.RunAsync(args, environment, fakes, Cancellation);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => Directory.Delete(BaseDirectory, recursive: true);
}

/// <summary>What one run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every stdout line parsed as JSON; fails the test when any line is not a JSON object.</summary>
    public JsonElement[] JsonLines() => StdoutLines.Select(line =>
    {
        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }).ToArray();

    /// <summary>Asserts the run failed with exactly one stderr line starting "caravanbot: " and nothing on stdout.</summary>
    public string AssertOneLineError(int exitCode)
    {
        Assert.Equal(exitCode, ExitCode);
        Assert.Equal(string.Empty, Stdout);
        var line = Assert.Single(StderrLines);
        Assert.StartsWith("caravanbot: ", line, StringComparison.Ordinal);
        return line;
    }
}
