using System.Text.Json;
using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// A labelled question set in JSON Lines, one case per line:
/// <code>
/// {"id": "caravan-001", "article": "default", "question": "What does Mexico want?", "expect": ["development aid"], "category": "what"}
/// {"id": "caravan-040", "article": "default", "question": "What is the capital of France?", "expect": "abstain", "reason": "off_topic"}
/// </code>
/// <c>"article": "default"</c> (or no <c>article</c>) means the article the runner is given; any other
/// name is the file <c>articles/NAME.txt</c> or <c>articles/NAME.html</c> next to the set, or a real
/// page named in <c>pages.json</c> next to the set (read from the shared article-extraction
/// benchmark, <c>../shared/benchmarks/article-extraction/</c>, never copied into the project). An item
/// of <c>expect</c> may be a list of alternative phrases. Blank lines are skipped and unknown keys are
/// ignored, so labellers can add notes.
/// </summary>
public sealed partial class EvalSet
{
    /// <summary>The article name that stands for the article the runner is given.</summary>
    public const string DefaultArticle = "default";

    /// <summary>Where the set was read from (a path, or a caller-given name).</summary>
    public required string Source { get; init; }

    /// <summary>The folder whose <c>articles/</c> sub-folder holds the named articles.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The cases in file order.</summary>
    public required IReadOnlyList<EvalCase> Cases { get; init; }

    /// <summary>Reads and validates a set file.</summary>
    /// <exception cref="EvalSetException">The file is missing or unreadable, or a line is malformed (the message names the line).</exception>
    public static EvalSet Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
            throw new EvalSetException($"cannot read questions file {path}: {why}", inner: ex);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Directory.GetCurrentDirectory();
        return Parse(text, path, directory);
    }

    /// <summary>Parses set text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="EvalSetException">A line is malformed; the message names the line.</exception>
    public static EvalSet Parse(string text, string source, string baseDirectory)
    {
        var cases = new List<EvalCase>();
        var seenIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0)
            {
                line = line.TrimStart('\uFEFF');
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var lineNumber = i + 1;
            var evalCase = ParseLine(line, source, lineNumber);
            if (seenIds.TryGetValue(evalCase.Id, out var firstLine))
            {
                throw Error(source, lineNumber, $"id \"{evalCase.Id}\" was already used on line {firstLine}");
            }

            seenIds.Add(evalCase.Id, lineNumber);
            cases.Add(evalCase);
        }

        return new EvalSet { Source = source, BaseDirectory = baseDirectory, Cases = cases };
    }

    /// <summary>
    /// The file of a named article (<c>articles/NAME.txt</c>, else <c>articles/NAME.html</c>, else
    /// <c>.htm</c>) under <see cref="BaseDirectory"/>, else the benchmark page <c>pages.json</c> names
    /// (a <c>.html.gz</c> file); null when none exists.
    /// </summary>
    /// <exception cref="EvalSetException"><c>pages.json</c> names the article but the shared benchmark folder is missing.</exception>
    public string? FindArticleFile(string name)
    {
        foreach (var extension in (string[])[".txt", ".html", ".htm"])
        {
            var path = Path.Combine(BaseDirectory, "articles", name + extension);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return EvalPages.Load(BaseDirectory).FindPage(name);
    }

    private static EvalCase ParseLine(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw Error(source, lineNumber, $"not a JSON object ({FirstSentence(ex.Message)})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(source, lineNumber, "not a JSON object");
            }

            var id = RequiredString(root, "id", source, lineNumber);
            if (string.IsNullOrWhiteSpace(id))
            {
                throw Error(source, lineNumber, "\"id\" is empty");
            }

            var article = OptionalString(root, "article", source, lineNumber) ?? DefaultArticle;
            // Names become file names under articles/; keep them from escaping that folder.
            if (!ArticleNamePattern().IsMatch(article) || article.Contains("..", StringComparison.Ordinal))
            {
                throw Error(source, lineNumber, $"\"article\" must be \"default\" or a plain file name without extension, not \"{article}\"");
            }

            var question = RequiredString(root, "question", source, lineNumber);
            var phrases = ParseExpect(root, source, lineNumber);
            var reason = ParseReason(root, source, lineNumber);
            if (reason is not null && phrases.Count > 0)
            {
                throw Error(source, lineNumber, "\"reason\" is only for cases that expect \"abstain\"");
            }

            return new EvalCase
            {
                Id = id,
                Article = article,
                Question = question,
                ExpectedItems = phrases,
                ExpectedReason = reason,
                Category = OptionalString(root, "category", source, lineNumber),
                LineNumber = lineNumber,
            };
        }
    }

    private static IReadOnlyList<IReadOnlyList<string>> ParseExpect(JsonElement root, string source, int lineNumber)
    {
        const string Shape = "\"expect\" must be \"abstain\" or a non-empty list of phrases (an item may be a list of alternative phrases)";
        if (!root.TryGetProperty("expect", out var expect))
        {
            throw Error(source, lineNumber, "\"expect\" is missing; " + Shape);
        }

        if (expect.ValueKind == JsonValueKind.String)
        {
            return expect.GetString() == "abstain" ? [] : throw Error(source, lineNumber, Shape);
        }

        if (expect.ValueKind != JsonValueKind.Array || expect.GetArrayLength() == 0)
        {
            throw Error(source, lineNumber, Shape);
        }

        var items = new List<IReadOnlyList<string>>();
        foreach (var item in expect.EnumerateArray())
        {
            var alternatives = item.ValueKind == JsonValueKind.Array ? item.EnumerateArray().ToArray() : [item];
            if (alternatives.Length == 0 || alternatives.Any(a => a.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(a.GetString())))
            {
                throw Error(source, lineNumber, "every phrase in \"expect\" must be a non-empty string");
            }

            items.Add(alternatives.Select(a => a.GetString()!).ToArray());
        }

        return items;
    }

    private static AbstentionReason? ParseReason(JsonElement root, string source, int lineNumber)
    {
        var code = OptionalString(root, "reason", source, lineNumber);
        if (code is null)
        {
            return null;
        }

        foreach (var reason in Enum.GetValues<AbstentionReason>())
        {
            if (reason.ToCode() == code)
            {
                return reason;
            }
        }

        var known = string.Join(", ", Enum.GetValues<AbstentionReason>().Select(r => r.ToCode()));
        throw Error(source, lineNumber, $"\"reason\" \"{code}\" is not one of {known}");
    }

    private static string RequiredString(JsonElement root, string name, string source, int lineNumber) =>
        OptionalString(root, name, source, lineNumber)
        ?? throw Error(source, lineNumber, $"\"{name}\" is missing");

    private static string? OptionalString(JsonElement root, string name, string source, int lineNumber)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw Error(source, lineNumber, $"\"{name}\" must be a string");
    }

    private static EvalSetException Error(string source, int lineNumber, string message, Exception? inner = null) =>
        new($"{source} line {lineNumber}: {message}", lineNumber, inner);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ArticleNamePattern();
}
