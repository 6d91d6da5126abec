using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>The headline, standfirst and body blocks of a saved news page, before boilerplate removal.</summary>
/// <param name="Paragraphs">Headline and standfirst (when found, marked with their kind), then body and subhead blocks in reading order.</param>
/// <param name="Metadata">Byline, date, publisher and address declared by the page.</param>
/// <param name="Extractor">Which candidate supplied the body.</param>
/// <param name="Dropped">Blocks of the chosen candidate that page-furniture rules dropped, with their rule.</param>
internal sealed record HtmlExtraction(List<ParagraphCandidate> Paragraphs, ArticleMetadata Metadata, string Extractor, List<DroppedBlock> Dropped);

/// <summary>
/// Pulls the story out of a saved news page. Two extractors propose the story's container:
/// Mozilla Readability's scoring (through the SmartReader port) and the page's own markup
/// (<c>[itemprop=articleBody]</c>, <c>&lt;article&gt;</c>, <c>&lt;main&gt;</c>, or the element
/// holding the most paragraph text). Each proposal is walked into blocks with the same furniture
/// rules (<see cref="HtmlBlockWalker"/>, <see cref="PageFurniture"/>); the one with more story
/// text wins. When neither finds a story, the whole page's visible text is read with the same
/// rules, so a story is never lost silently. Headline and standfirst come from the page's
/// <c>&lt;h1&gt;</c>, <c>og:title</c> and standfirst markup; byline, date, publisher and canonical
/// address from its metadata (<see cref="PageMetadataReader"/>).
/// </summary>
internal static partial class HtmlArticleExtractor
{
    /// <summary>Name of the Readability candidate in reports.</summary>
    public const string ReadabilityExtractor = "readability (SmartReader)";

    /// <summary>Name of the markup candidate in reports.</summary>
    public const string MarkupExtractor = "page markup";

    /// <summary>Name of the last-resort candidate in reports.</summary>
    public const string WholePageExtractor = "whole page text";

    /// <summary>A standfirst is a sentence or two; longer blocks with a "summary" class are something else.</summary>
    private const int MaxStandfirstLength = 600;

    /// <summary>Minimum words for a standfirst, so that kickers and labels ("Analysis") are not taken.</summary>
    private const int MinStandfirstWords = 4;

    /// <summary>
    /// A block at least half of whose characters are links is a list of links (related stories,
    /// tags, a teaser), unless it is a full sentence whose words happen to be linked.
    /// </summary>
    private const double MaxLinkDensity = 0.5;

    /// <summary>Table cells shorter than this without sentence punctuation are data (scores, prices), not story.</summary>
    private const int MinTableCellWords = 8;

    /// <summary>Address given to Readability when the page declares none; it resolves links only, nothing is fetched.</summary>
    private const string PlaceholderUrl = "https://localhost/";

    /// <summary>Parses the page and returns its headline, standfirst and story blocks.</summary>
    public static HtmlExtraction Extract(string html)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, SkipComments = true });
        using var document = parser.ParseDocument(html);
        var metadata = PageMetadataReader.Read(document);
        var page = document.Body ?? document.DocumentElement;
        var markupRoot = FindMarkupRoot(document);
        var headline = FindHeadline(document, markupRoot ?? page);
        var standfirst = FindStandfirst(document, headline);

        // Malformed pages can leave the headline open so that the story nests inside it; then only
        // its first block is the headline and the rest is walked as body.
        var headlineBlocks = headline is null ? [] : HtmlBlockWalker.Collect(headline, WalkPolicy.Story, new HashSet<IElement>());
        var skip = new HashSet<IElement>();
        if (headline is not null && headlineBlocks.Count <= 1)
        {
            skip.Add(headline);
        }

        if (standfirst is not null)
        {
            skip.Add(standfirst);
        }

        var headlineText = headline is not null ? headlineBlocks.FirstOrDefault()?.Text ?? string.Empty : TitleFallback(document, metadata.Publisher);
        var standfirstText = standfirst is not null ? InlineText(standfirst) : null;
        var exclude = new HashSet<string>(StringComparer.Ordinal) { headlineText };
        if (standfirstText is not null)
        {
            exclude.Add(standfirstText);
        }

        var candidates = new List<Candidate>();
        if (ReadabilityRoot(html, metadata.CanonicalUrl, parser) is { } readability)
        {
            using (readability)
            {
                candidates.Add(Walk(ReadabilityExtractor, readability.Body!, WalkPolicy.Story, new HashSet<IElement>(), exclude));
            }
        }

        if (markupRoot is not null)
        {
            candidates.Add(Walk(MarkupExtractor, markupRoot, WalkPolicy.Story, skip, exclude));
        }

        var chosen = candidates.Where(c => c.StoryChars > 0).MaxBy(c => c.StoryChars);
        if (chosen is null)
        {
            chosen = Walk(WholePageExtractor, page, WalkPolicy.WholePage, skip, exclude);
        }

        var paragraphs = new List<ParagraphCandidate>(chosen.Paragraphs.Count + 2);
        if (!string.IsNullOrEmpty(headlineText))
        {
            paragraphs.Add(new ParagraphCandidate(headlineText, ParagraphKind.Headline));
        }

        if (!string.IsNullOrEmpty(standfirstText) && standfirstText != headlineText)
        {
            paragraphs.Add(new ParagraphCandidate(standfirstText, ParagraphKind.Standfirst));
        }

        paragraphs.AddRange(chosen.Paragraphs);
        return new HtmlExtraction(paragraphs, metadata, chosen.Name, chosen.Dropped);
    }

    /// <summary>One extractor's proposal after the furniture rules.</summary>
    private sealed record Candidate(string Name, List<ParagraphCandidate> Paragraphs, List<DroppedBlock> Dropped, int StoryChars);

    /// <summary>Walks a proposed container and applies the block-level furniture rules.</summary>
    private static Candidate Walk(string name, IElement root, WalkPolicy policy, HashSet<IElement> skip, HashSet<string> exclude)
    {
        var dropped = new List<DroppedBlock>();
        var blocks = HtmlBlockWalker.Collect(root, policy, skip, dropped);
        var paragraphs = new List<ParagraphCandidate>(blocks.Count);
        var storyChars = 0;
        foreach (var block in blocks)
        {
            if (exclude.Contains(block.Text))
            {
                continue;
            }

            var rule = BlockRule(block);
            if (rule is not null)
            {
                dropped.Add(new DroppedBlock(block.Text, rule));
                continue;
            }

            var kind = block.Role == HtmlBlockRole.Heading ? ParagraphKind.Subhead : ParagraphKind.Body;
            paragraphs.Add(new ParagraphCandidate(block.Text, kind, IsLinkOnly: block.LinkDensity >= 0.99));
            if (kind == ParagraphKind.Body && BoilerplateFilter.EndsLikeSentence(block.Text))
            {
                storyChars += block.Text.Length;
            }
        }

        return new Candidate(name, paragraphs, dropped, storyChars);
    }

    /// <summary>Why a block of a story container is still not story, or null to keep it.</summary>
    private static string? BlockRule(HtmlBlock block)
    {
        var text = block.Text;
        var sentence = BoilerplateFilter.EndsLikeSentence(text);
        var words = BoilerplateFilter.WordCount(text);
        if (block.Role == HtmlBlockRole.Caption)
        {
            return "photo caption";
        }

        if (block.Role == HtmlBlockRole.TableCell && !sentence && words < MinTableCellWords)
        {
            return "table cell";
        }

        if (block.LinkDensity > MaxLinkDensity && !(sentence && words >= MinTableCellWords))
        {
            return "list of links";
        }

        if (PageFurniture.Classify(text) is { } furniture)
        {
            return furniture;
        }

        return PageFurniture.IsCaption(text) ? "photo caption" : null;
    }

    /// <summary>
    /// The story container as Mozilla Readability's scoring finds it (paragraph-shaped text,
    /// commas, class-name hints, link density), parsed again so the walker sees the same kind of
    /// tree as for the page itself. Null when Readability finds nothing.
    /// </summary>
    private static IHtmlDocument? ReadabilityRoot(string html, string? url, HtmlParser parser)
    {
        // Readability rewrites the tree it scores, so it gets its own copy of the page.
        var reader = new SmartReader.Reader(url ?? PlaceholderUrl, html)
        {
            KeepClasses = true,
            ContinueIfNotReadable = true,
        };
        var article = reader.GetArticle();
        if (string.IsNullOrWhiteSpace(article.Content))
        {
            return null;
        }

        var content = parser.ParseDocument(article.Content);
        if (content.Body is null)
        {
            content.Dispose();
            return null;
        }

        return content;
    }

    private static IElement? FindMarkupRoot(IDocument document)
    {
        var marked = document.QuerySelectorAll("[itemprop~='articleBody']")
            .Concat(document.QuerySelectorAll("article"))
            .Concat(document.QuerySelectorAll("main, [role='main']"))
            .Select(e => (Element: e, Length: HtmlBlockWalker.ParagraphChars(e)))
            .Where(c => c.Length > 0)
            .ToList();

        // No semantic markup, or markup around teasers only: the element whose own <p> children hold the most text.
        var totals = new Dictionary<IElement, int>();
        foreach (var p in document.QuerySelectorAll("p"))
        {
            if (p.ParentElement is { } parent)
            {
                totals[parent] = totals.GetValueOrDefault(parent) + p.TextContent.Length;
            }
        }

        var densest = totals.Count == 0 ? ((IElement?)null, 0) : totals.MaxBy(t => t.Value) is var best ? (best.Key, best.Value) : default;
        if (marked.Count == 0)
        {
            return densest.Item1;
        }

        // A marked container wins when it holds the densest paragraphs; a marked container that
        // does not (teaser <article>s beside a story in a <section>) loses to them.
        var articleBody = marked.Where(c => c.Element.GetAttribute("itemprop")?.Contains("articleBody", StringComparison.OrdinalIgnoreCase) == true).ToList();
        var pool = articleBody.Count > 0 && densest.Item1 is { } d0 && articleBody.Any(c => c.Element.Contains(d0) || d0.Contains(c.Element)) ? articleBody : marked;
        if (densest.Item1 is { } d)
        {
            var holding = pool.Where(c => c.Element.Contains(d)).ToList();
            if (holding.Count > 0)
            {
                // The innermost marked container that holds the densest paragraphs.
                return holding.MinBy(c => c.Length).Element;
            }

            var inside = pool.Where(c => d.Contains(c.Element)).ToList();
            if (inside.Count > 0)
            {
                return inside.MaxBy(c => c.Length).Element;
            }

            return d;
        }

        return pool.MaxBy(c => c.Length).Element;
    }

    private static IElement? FindHeadline(IDocument document, IElement root)
    {
        var scope = root.Closest("article") ?? root;
        var inScope = scope.QuerySelectorAll("h1").FirstOrDefault(h => InlineText(h).Length > 0);
        if (inScope is not null)
        {
            return inScope;
        }

        var candidates = document.QuerySelectorAll("h1")
            .Where(h => h.Closest("nav, aside, footer") is null && InlineText(h).Length > 0)
            .ToList();
        var title = PageMetadataReader.Meta(document, "og:title") ?? document.Title ?? string.Empty;
        return candidates.FirstOrDefault(h => title.Contains(InlineText(h), StringComparison.Ordinal)) ??
            candidates.FirstOrDefault();
    }

    private static IElement? FindStandfirst(IDocument document, IElement? headline)
    {
        foreach (var element in document.QuerySelectorAll("[class], [itemprop='description']"))
        {
            var named = StandfirstClass().IsMatch(element.GetAttribute("class") ?? string.Empty) ||
                element.GetAttribute("itemprop") == "description";
            if (!named || element.LocalName is "meta" or "body" or "html" || HtmlBlockWalker.IsInsideFurniture(element))
            {
                continue;
            }

            if (headline is not null &&
                (element.Contains(headline) || headline.Contains(element) ||
                 !headline.CompareDocumentPosition(element).HasFlag(DocumentPositions.Following)))
            {
                continue;
            }

            var text = InlineText(element);
            if (text.Length <= MaxStandfirstLength && BoilerplateFilter.WordCount(text) >= MinStandfirstWords &&
                element.QuerySelectorAll("p").Length <= 1)
            {
                return element;
            }
        }

        // A subheading right under the headline.
        var next = headline?.NextElementSibling ?? headline?.ParentElement?.NextElementSibling;
        return next is not null && next.LocalName is "h2" or "h3" && BoilerplateFilter.WordCount(InlineText(next)) >= MinStandfirstWords
            ? next
            : null;
    }

    private static string TitleFallback(IDocument document, string? siteName)
    {
        var title = PageMetadataReader.Meta(document, "og:title") ?? TextCleaner.CleanParagraph(document.Title ?? string.Empty);
        var pipe = title.IndexOf(" | ", StringComparison.Ordinal);
        if (pipe > 0)
        {
            title = title[..pipe];
        }

        if (siteName is not null)
        {
            foreach (var separator in new[] { " - ", " – ", " — " })
            {
                if (title.EndsWith(separator + siteName, StringComparison.Ordinal))
                {
                    title = title[..^(separator.Length + siteName.Length)];
                }
            }
        }

        return title;
    }

    private static string InlineText(IElement element) =>
        string.Join(' ', HtmlBlockWalker.Collect(element, WalkPolicy.Story, new HashSet<IElement>()).Select(p => p.Text));

    [GeneratedRegex(@"(?:standfirst|\bdek\b|-dek\b|\bdeck\b|subtitle|sub-title|subhead|strapline|summary|article-?intro|lede-?text)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StandfirstClass();
}
