using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion.Benchmark;

/// <summary>One benchmark page as CaravanBot read it.</summary>
/// <param name="Id">The page id (file name without <c>.html.gz</c>).</param>
/// <param name="Truth">The human-checked story text.</param>
/// <param name="Predicted">The story text CaravanBot indexed, without the headline; empty when the page was refused.</param>
/// <param name="Error">Why the page was refused, or null.</param>
public sealed record ExtractionPage(string Id, string Truth, string Predicted, string? Error);

/// <summary>A whole benchmark run: the pages, their score and how long reading them took.</summary>
public sealed record ExtractionRun(IReadOnlyList<ExtractionPage> Pages, ExtractionScore Score, TimeSpan Elapsed)
{
    /// <summary>The score over the pages whose id passes <paramref name="filter"/> (for held-out halves).</summary>
    public ExtractionScore ScoreWhere(Func<string, bool> filter) =>
        ExtractionScore.Compute(Pages.Where(p => filter(p.Id)).Select(p => (p.Truth, p.Predicted)));

    /// <summary>Predictions in the form <c>score.py</c> reads: <c>{"ID": {"articleBody": "…"}}</c>.</summary>
    public void WritePredictions(Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        foreach (var page in Pages)
        {
            writer.WriteStartObject(page.Id);
            writer.WriteString("articleBody", page.Predicted);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// Runs the article-extraction benchmark (<c>shared/benchmarks/article-extraction</c>: 181 saved
/// news pages with their human-checked story text) in this process: every page goes through
/// <see cref="ArticleReader.ReadHtml"/> exactly as <c>caravanbot paragraphs --article PAGE.html</c>
/// reads it, the story is every kept paragraph except the headline, and the result is scored with
/// <see cref="ExtractionScore"/>.
/// </summary>
public static class ExtractionBenchmark
{
    /// <summary>The benchmark's folder relative to the repository's parent: <c>shared/benchmarks/article-extraction</c>.</summary>
    public static readonly string RelativeFolder = Path.Combine("shared", "benchmarks", "article-extraction");

    /// <summary>
    /// The benchmark folder found beside the checkout that contains <paramref name="start"/>
    /// (walking up to the folder with <c>CaravanBot.sln</c>), or null when it is not there.
    /// </summary>
    public static string? Locate(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")))
            {
                var folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", RelativeFolder));
                return File.Exists(Path.Combine(folder, "ground-truth.json")) ? folder : null;
            }
        }

        return null;
    }

    /// <summary>Reads and scores every page of the benchmark in <paramref name="folder"/>.</summary>
    public static ExtractionRun Run(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var truth = ReadGroundTruth(Path.Combine(folder, "ground-truth.json"));
        var html = truth.Select(t => (t.Id, Bytes: Decompress(Path.Combine(folder, "html", t.Id + ".html.gz")))).ToList();

        var pages = new List<ExtractionPage>(truth.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < truth.Count; i++)
        {
            var (id, body) = truth[i];
            var (predicted, error) = Read(html[i].Bytes, id);
            pages.Add(new ExtractionPage(id, body, predicted, error));
        }

        clock.Stop();
        return new ExtractionRun(pages, ExtractionScore.Compute(pages.Select(p => (p.Truth, p.Predicted))), clock.Elapsed);
    }

    /// <summary>The story text the reader keeps: all paragraphs but the headline, one per line.</summary>
    public static string StoryText(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return string.Join('\n', article.Paragraphs.Where(p => p.Kind != ParagraphKind.Headline).Select(p => p.Text));
    }

    private static (string Predicted, string? Error) Read(byte[] bytes, string id)
    {
        try
        {
            return (StoryText(ArticleReader.ReadHtml(ArticleReader.Decode(bytes), id)), null);
        }
        catch (ArticleLoadException e)
        {
            return (string.Empty, e.Message);
        }
    }

    private static List<(string Id, string Body)> ReadGroundTruth(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new List<(string, string)>();
        foreach (var page in document.RootElement.EnumerateObject())
        {
            var body = page.Value.TryGetProperty("articleBody", out var b) ? b.GetString() ?? string.Empty : string.Empty;
            result.Add((page.Name, body));
        }

        return result;
    }

    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
