using System.IO.Compression;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CaravanBot.Retrieval.Tests.Ingestion;

/// <summary>One benchmark page as a reader would copy it from a browser, with the true story.</summary>
/// <param name="Id">The benchmark page id.</param>
/// <param name="Text">The copied text: a few lines above the headline down to just past the story's end.</param>
/// <param name="Truth">The human-checked story text.</param>
internal sealed record CopiedPage(string Id, string Text, string Truth);

/// <summary>
/// Text copied from a saved benchmark page the way a browser copies a selection: every visible
/// text run on its own line (blocks and <c>&lt;br&gt;</c> break lines), nothing removed, from
/// three lines above the headline (navigation, section labels) to two lines past the end of the
/// story (tags, share buttons). The renderer is deliberately independent of the ingestion code it
/// tests, and the pages are read from shared/ at test time, never copied into the repository.
/// </summary>
internal static class CopiedPageText
{
    private const int LinesAboveHeadline = 3;
    private const int LinesPastStory = 2;

    private static readonly HashSet<string> Invisible = ["script", "style", "noscript", "template", "head", "svg", "iframe", "select", "option", "button", "input", "textarea"];

    private static readonly HashSet<string> Blocks =
    [
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tr", "ul", "br",
    ];

    /// <summary>The pages of the benchmark whose id starts with one of <paramref name="prefixes"/> and whose headline and story end can be found in the copy.</summary>
    public static List<CopiedPage> Pages(string folder, string prefixes, int count)
    {
        using var truth = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "ground-truth.json")));
        var pages = new List<CopiedPage>();
        foreach (var page in truth.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!prefixes.Contains(page.Name[0], StringComparison.Ordinal))
            {
                continue;
            }

            var body = page.Value.GetProperty("articleBody").GetString() ?? string.Empty;
            var text = Copy(Html(Path.Combine(folder, "html", page.Name + ".html.gz")), body);
            if (text is not null)
            {
                pages.Add(new CopiedPage(page.Name, text, body));
            }

            if (pages.Count == count)
            {
                break;
            }
        }

        return pages;
    }

    private static string Html(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string? Copy(string html, string truth)
    {
        using var document = new HtmlParser().ParseDocument(html);
        var lines = Render(document.Body!);
        // The copy starts at the story's headline: the <h1> that the page's title names.
        var title = document.QuerySelector("meta[property='og:title']")?.GetAttribute("content") ?? document.Title ?? string.Empty;
        var h1 = document.QuerySelectorAll("h1").Select(h => Clean(h.TextContent)).FirstOrDefault(h => h.Length > 0 && Clean(title).Contains(h, StringComparison.Ordinal));
        var headline = h1 is null ? -1 : lines.FindIndex(l => l == h1);
        var lastLine = truth.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (headline < 0 || lastLine is null || lastLine.Length < 20)
        {
            return null;
        }

        var ending = lastLine[^20..];
        var end = lines.FindLastIndex(l => l.Contains(ending, StringComparison.Ordinal));
        if (end <= headline)
        {
            return null;
        }

        var from = Math.Max(0, headline - LinesAboveHeadline);
        var to = Math.Min(lines.Count - 1, end + LinesPastStory);
        return string.Join('\n', lines.Skip(from).Take(to - from + 1));
    }

    private static List<string> Render(IElement root)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        void Break()
        {
            var line = Clean(current.ToString());
            if (line.Length > 0)
            {
                lines.Add(line);
            }

            current.Clear();
        }

        void Walk(INode node)
        {
            if (node is IText text)
            {
                current.Append(text.Data);
                return;
            }

            if (node is not IElement element || Invisible.Contains(element.LocalName) || element.HasAttribute("hidden") ||
                (element.GetAttribute("style") ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).Contains("display:none", StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            var block = Blocks.Contains(element.LocalName);
            if (block)
            {
                Break();
            }

            if (element.LocalName is "td" or "th")
            {
                current.Append(' ');
            }

            foreach (var child in element.ChildNodes)
            {
                Walk(child);
            }

            if (block)
            {
                Break();
            }
        }

        Walk(root);
        Break();
        return lines;
    }

    private static string Clean(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
