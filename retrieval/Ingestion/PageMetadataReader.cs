using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Byline, publication date, publisher and canonical address of a saved page, from what publishers
/// declare for search engines and social networks: schema.org JSON-LD (<c>NewsArticle</c> and
/// kin), Open Graph and <c>article:</c> meta tags, <c>&lt;link rel=canonical&gt;</c>, and the
/// page's own <c>&lt;time&gt;</c> and author markup when nothing is declared.
/// </summary>
internal static class PageMetadataReader
{
    private static readonly string[] ArticleTypes =
        ["NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting", "OpinionNewsArticle", "WebPage", "Report", "ScholarlyArticle", "LiveBlogPosting"];

    /// <summary>Longest byline kept; longer "author" values are descriptions, not names.</summary>
    private const int MaxBylineLength = 120;

    public static ArticleMetadata Read(IDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var ld = LinkedData(document);
        return new ArticleMetadata
        {
            Byline = Clean(ld.Author) ?? Clean(AuthorMeta(document)) ?? Clean(AuthorMarkup(document)),
            Published = ParseDate(ld.Published) ?? ParseDate(Meta(document, "article:published_time", "datePublished", "pubdate", "publishdate",
                "date", "dc.date.issued", "dc.date", "sailthru.date", "parsely-pub-date", "og:published_time")) ?? ParseDate(TimeMarkup(document)),
            Publisher = Clean(ld.Publisher) ?? Clean(Meta(document, "og:site_name", "application-name", "publisher")),
            CanonicalUrl = CanonicalUrl(document),
        };
    }

    /// <summary>A meta tag's content by <c>property</c>, <c>name</c> or <c>itemprop</c>, the first key found winning.</summary>
    internal static string? Meta(IDocument document, params string[] keys)
    {
        foreach (var key in keys)
        {
            foreach (var meta in document.QuerySelectorAll("meta"))
            {
                if (key.Equals(meta.GetAttribute("property"), StringComparison.OrdinalIgnoreCase) ||
                    key.Equals(meta.GetAttribute("name"), StringComparison.OrdinalIgnoreCase) ||
                    key.Equals(meta.GetAttribute("itemprop"), StringComparison.OrdinalIgnoreCase))
                {
                    var content = TextCleaner.CleanParagraph(meta.GetAttribute("content") ?? string.Empty);
                    if (content.Length > 0)
                    {
                        return content;
                    }
                }
            }
        }

        return null;
    }

    private static string? CanonicalUrl(IDocument document)
    {
        var href = document.QuerySelector("link[rel~='canonical']")?.GetAttribute("href")?.Trim();
        if (IsAbsoluteHttp(href))
        {
            return href;
        }

        var og = Meta(document, "og:url");
        return IsAbsoluteHttp(og) ? og : null;
    }

    private static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string? AuthorMeta(IDocument document)
    {
        // article:author is often a profile URL; a URL is not a byline.
        var author = Meta(document, "author", "article:author", "byl", "dc.creator", "parsely-author", "sailthru.author");
        return author is null || author.Contains("://", StringComparison.Ordinal) ? null : author;
    }

    private static string? AuthorMarkup(IDocument document)
    {
        var element = document.QuerySelector("[itemprop~='author'] [itemprop~='name']") ??
            document.QuerySelector("[rel~='author']") ??
            document.QuerySelector("[itemprop~='author']");
        return element is null ? null : TextCleaner.CleanParagraph(element.TextContent);
    }

    private static string? TimeMarkup(IDocument document)
    {
        var time = document.QuerySelector("[itemprop~='datePublished']") ?? document.QuerySelector("article time[datetime], time[pubdate], time[datetime]");
        return time?.GetAttribute("datetime") ?? time?.GetAttribute("content");
    }

    private static string? Clean(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = TextCleaner.CleanParagraph(value);
        if (text.StartsWith("By ", StringComparison.OrdinalIgnoreCase))
        {
            text = text[3..].TrimStart();
        }

        return text.Length is > 0 and <= MaxBylineLength ? text : null;
    }

    private static DateTimeOffset? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) &&
            date.Year is >= 1990 and <= 2100
            ? date
            : null;
    }

    private sealed record LinkedDataFields(string? Author, string? Published, string? Publisher);

    /// <summary>The first schema.org article object in the page's JSON-LD, searched through <c>@graph</c> and arrays.</summary>
    private static LinkedDataFields LinkedData(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json']"))
        {
            try
            {
                using var json = JsonDocument.Parse(script.TextContent, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                if (FindArticle(json.RootElement, depth: 0) is { } article)
                {
                    return new LinkedDataFields(
                        Names(article, "author"),
                        article.TryGetProperty("datePublished", out var published) && published.ValueKind == JsonValueKind.String ? published.GetString() : null,
                        Names(article, "publisher"));
                }
            }
            catch (JsonException)
            {
                // Publishers ship malformed JSON-LD often enough; the meta tags are the fallback.
            }
        }

        return new LinkedDataFields(null, null, null);
    }

    private static JsonElement? FindArticle(JsonElement element, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                if (FindArticle(item, depth + 1) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (element.TryGetProperty("@type", out var type) && IsArticleType(type))
        {
            return element;
        }

        return element.TryGetProperty("@graph", out var graph) ? FindArticle(graph, depth + 1) : null;
    }

    private static bool IsArticleType(JsonElement type) => type.ValueKind switch
    {
        JsonValueKind.String => ArticleTypes.Contains(type.GetString(), StringComparer.Ordinal),
        JsonValueKind.Array => type.EnumerateArray().Any(IsArticleType),
        _ => false,
    };

    /// <summary>The name or names of a person or organisation property ("A, B and C").</summary>
    private static string? Names(JsonElement article, string property)
    {
        if (!article.TryGetProperty(property, out var value))
        {
            return null;
        }

        var names = new List<string>();
        void Add(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String when e.GetString() is { Length: > 0 } s && !s.Contains("://", StringComparison.Ordinal):
                    names.Add(s);
                    break;
                case JsonValueKind.Object when e.TryGetProperty("name", out var name):
                    Add(name);
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Add(item);
                    }

                    break;
            }
        }

        Add(value);
        names = names.Select(n => TextCleaner.CleanParagraph(n)).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return names.Count switch
        {
            0 => null,
            1 => names[0],
            _ => string.Join(", ", names[..^1]) + " and " + names[^1],
        };
    }
}
