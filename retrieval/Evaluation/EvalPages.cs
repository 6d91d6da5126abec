using System.Text.Json;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// The real published pages a question set uses, from <c>pages.json</c> next to the set:
/// <c>{"NAME": {"page": "BENCHMARK-ID", "split": "tune"|"test", "topic": "…", "url": "…"}}</c>. The
/// pages themselves are read in place from the shared article-extraction benchmark
/// (<c>../shared/benchmarks/article-extraction/html/ID.html.gz</c>), found beside the repository
/// (any folder above the set holding <c>shared/benchmarks/article-extraction</c>).
/// </summary>
public sealed class EvalPages
{
    /// <summary>The shared benchmark folder, relative to the folder that holds the repository.</summary>
    public static readonly string BenchmarkFolder = Path.Combine("shared", "benchmarks", "article-extraction");

    private readonly IReadOnlyDictionary<string, EvalPage> _pages;
    private readonly string _setDirectory;

    private EvalPages(IReadOnlyDictionary<string, EvalPage> pages, string setDirectory)
    {
        _pages = pages;
        _setDirectory = setDirectory;
    }

    /// <summary>The pages by article name.</summary>
    public IReadOnlyDictionary<string, EvalPage> Pages => _pages;

    /// <summary>Reads <c>pages.json</c> in <paramref name="setDirectory"/> (no pages when there is none).</summary>
    /// <exception cref="EvalSetException">The file is not valid.</exception>
    public static EvalPages Load(string setDirectory)
    {
        var path = Path.Combine(setDirectory, "pages.json");
        if (!File.Exists(path))
        {
            return new EvalPages(new Dictionary<string, EvalPage>(), setDirectory);
        }

        try
        {
            var pages = JsonSerializer.Deserialize<Dictionary<string, EvalPage>>(File.ReadAllText(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? [];
            return new EvalPages(pages, setDirectory);
        }
        catch (JsonException ex)
        {
            throw new EvalSetException($"{path}: not a valid pages file ({ex.Message})", inner: ex);
        }
    }

    /// <summary>The saved page of <paramref name="name"/> (a gzipped HTML file), or null when the set names no such page.</summary>
    /// <exception cref="EvalSetException">The page is named but the shared benchmark folder cannot be found.</exception>
    public string? FindPage(string name)
    {
        if (!_pages.TryGetValue(name, out var page))
        {
            return null;
        }

        var folder = FindBenchmarkFolder(_setDirectory)
            ?? throw new EvalSetException($"article \"{name}\" is a benchmark page, but the shared folder ../{BenchmarkFolder.Replace('\\', '/')}/ was not found beside the repository");
        var file = Path.Combine(folder, "html", page.Page + ".html.gz");
        return File.Exists(file) ? file : throw new EvalSetException($"article \"{name}\": benchmark page {file} is missing");
    }

    /// <summary>The shared benchmark folder above <paramref name="start"/>, or null.</summary>
    public static string? FindBenchmarkFolder(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, BenchmarkFolder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>One real page of a question set.</summary>
/// <param name="Page">The benchmark's page id (file <c>html/ID.html.gz</c>).</param>
/// <param name="Split"><c>tune</c> (weights, thresholds and models may be fitted on it) or <c>test</c> (held out).</param>
/// <param name="Topic">What kind of story it is.</param>
/// <param name="Url">Where it was published.</param>
public sealed record EvalPage(string Page, string Split, string Topic, string Url);
