using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>The headline, standfirst and body blocks of a saved news page, before boilerplate removal.</summary>
/// <param name="Paragraphs">Headline and standfirst (when found, marked with their kind), then body blocks in reading order.</param>
/// <param name="SiteName">The publication's name from the page metadata, if declared.</param>
internal sealed record HtmlExtraction(List<ParagraphCandidate> Paragraphs, string? SiteName);

/// <summary>
/// Pulls the main article out of a saved news page with AngleSharp. The article root is the most
/// specific container the page marks (<c>[itemprop=articleBody]</c>, then <c>&lt;article&gt;</c>,
/// then <c>&lt;main&gt;</c>, then the element holding the most paragraph text). Page furniture
/// (navigation, asides, footers, forms, figures and captions, related, newsletter, share and
/// comment blocks) is skipped by tag, ARIA role and class or id names. Text is collected block by
/// block, so pages without <c>&lt;p&gt;</c> (text in <c>&lt;div&gt;</c>s or split by
/// <c>&lt;br&gt;</c>) still give paragraphs.
/// </summary>
internal static partial class HtmlArticleExtractor
{
    private static readonly FrozenSet<string> NoiseTags = FrozenSet.ToFrozenSet(
        [
            "script", "style", "noscript", "template", "nav", "aside", "footer", "header", "form", "button",
            "select", "option", "textarea", "input", "label", "iframe", "object", "embed", "svg", "canvas",
            "video", "audio", "picture", "img", "figure", "figcaption", "dialog", "menu", "map", "head", "title",
            "meta", "link",
        ],
        StringComparer.Ordinal);

    private static readonly FrozenSet<string> NoiseRoles = FrozenSet.ToFrozenSet(
        [
            "navigation", "complementary", "contentinfo", "banner", "dialog", "alertdialog", "search", "menu",
            "menubar", "toolbar", "tablist",
        ],
        StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> BlockTags = FrozenSet.ToFrozenSet(
        [
            "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
            "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
            "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
            "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
        ],
        StringComparer.Ordinal);

    /// <summary>A standfirst is a sentence or two; longer blocks with a "summary" class are something else.</summary>
    private const int MaxStandfirstLength = 600;

    /// <summary>Minimum words for a standfirst, so that kickers and labels ("Analysis") are not taken.</summary>
    private const int MinStandfirstWords = 4;

    /// <summary>Parses the page and returns its article blocks.</summary>
    public static HtmlExtraction Extract(string html)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, SkipComments = true });
        using var document = parser.ParseDocument(html);
        var siteName = Meta(document, "og:site_name") ?? Meta(document, "application-name");
        var fallbackRoot = document.Body ?? document.DocumentElement;
        var root = FindRoot(document) ?? fallbackRoot;
        var headline = FindHeadline(document, root);
        var standfirst = FindStandfirst(document, headline);

        // Malformed pages can leave the headline open so that the story nests inside it; then only
        // its first block is the headline and the rest is walked as body.
        var headlineBlocks = headline is null ? [] : CollectBlocks(headline, []);
        var skip = new HashSet<IElement>();
        if (headline is not null && headlineBlocks.Count <= 1)
        {
            skip.Add(headline);
        }

        if (standfirst is not null)
        {
            skip.Add(standfirst);
        }

        var body = CollectBlocks(root, skip);
        if (body.Count == 0 && root != fallbackRoot)
        {
            body = CollectBlocks(fallbackRoot, skip);
        }

        var headlineText = headline is not null ? headlineBlocks.FirstOrDefault()?.Text ?? string.Empty : TitleFallback(document, siteName);
        var standfirstText = standfirst is not null ? InlineText(standfirst) : DescriptionFallback(document, body, headlineText);

        var paragraphs = new List<ParagraphCandidate>(body.Count + 2);
        if (!string.IsNullOrEmpty(headlineText))
        {
            paragraphs.Add(new ParagraphCandidate(headlineText, ParagraphKind.Headline));
        }

        if (!string.IsNullOrEmpty(standfirstText) && standfirstText != headlineText)
        {
            paragraphs.Add(new ParagraphCandidate(standfirstText, ParagraphKind.Standfirst));
        }

        paragraphs.AddRange(body.Where(p => p.Text != headlineText && p.Text != standfirstText)
            .Select(p => p with { Kind = ParagraphKind.Body }));
        return new HtmlExtraction(paragraphs, siteName);
    }

    private static string? Meta(IDocument document, string key)
    {
        foreach (var meta in document.QuerySelectorAll("meta"))
        {
            if (key.Equals(meta.GetAttribute("property"), StringComparison.OrdinalIgnoreCase) ||
                key.Equals(meta.GetAttribute("name"), StringComparison.OrdinalIgnoreCase))
            {
                var content = TextCleaner.CleanParagraph(meta.GetAttribute("content") ?? string.Empty);
                if (content.Length > 0)
                {
                    return content;
                }
            }
        }

        return null;
    }

    private static IElement? FindRoot(IDocument document)
    {
        var marked = document.QuerySelectorAll("[itemprop~='articleBody']")
            .Concat(document.QuerySelectorAll("article"))
            .Concat(document.QuerySelectorAll("main, [role='main']"))
            .Select(e => (Element: e, Length: ParagraphTextLength(e)))
            .Where(c => c.Length > 0)
            .ToList();
        if (marked.Count > 0)
        {
            // The kinds above are in order of preference; within the first kind present, the
            // candidate with the most paragraph text wins (pages list teasers as <article>s too).
            var preferred = marked.First().Element;
            var kind = RootKind(preferred);
            return marked.Where(c => RootKind(c.Element) == kind).MaxBy(c => c.Length).Element;
        }

        // No semantic markup: the element whose own <p> children hold the most text.
        var totals = new Dictionary<IElement, int>();
        foreach (var p in document.QuerySelectorAll("p"))
        {
            if (p.ParentElement is { } parent)
            {
                totals[parent] = totals.GetValueOrDefault(parent) + p.TextContent.Length;
            }
        }

        return totals.Count == 0 ? null : totals.MaxBy(t => t.Value).Key;
    }

    private static int RootKind(IElement element) =>
        element.GetAttribute("itemprop")?.Contains("articleBody", StringComparison.OrdinalIgnoreCase) == true ? 0
        : element.LocalName == "article" ? 1
        : 2;

    private static int ParagraphTextLength(IElement element) =>
        element.QuerySelectorAll("p").Sum(p => p.TextContent.Length);

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
        var title = Meta(document, "og:title") ?? document.Title ?? string.Empty;
        return candidates.FirstOrDefault(h => title.Contains(InlineText(h), StringComparison.Ordinal)) ??
            candidates.FirstOrDefault();
    }

    private static IElement? FindStandfirst(IDocument document, IElement? headline)
    {
        foreach (var element in document.QuerySelectorAll("[class], [itemprop='description']"))
        {
            var named = StandfirstClass().IsMatch(element.GetAttribute("class") ?? string.Empty) ||
                element.GetAttribute("itemprop") == "description";
            if (!named || element.LocalName is "meta" or "body" or "html" || IsInsideNoise(element))
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

    /// <summary>
    /// Inside a block that is never article text (navigation, asides, footers, related lists,
    /// captions). Headers are not among them: the article's own header holds its standfirst.
    /// </summary>
    private static bool IsInsideNoise(IElement element)
    {
        for (var e = element; e is not null; e = e.ParentElement)
        {
            if (e.LocalName is "nav" or "aside" or "footer" or "form" or "figure" or "figcaption" ||
                (e.GetAttribute("role") is { } role && NoiseRoles.Contains(role) && role != "banner") ||
                HardNoiseName().IsMatch(CamelBoundary().Replace($"{e.GetAttribute("class")} {e.GetAttribute("id")}", "$1-$2").ToLowerInvariant()))
            {
                return true;
            }
        }

        return false;
    }

    private static string TitleFallback(IDocument document, string? siteName)
    {
        var title = Meta(document, "og:title") ?? TextCleaner.CleanParagraph(document.Title ?? string.Empty);
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

    /// <summary>The meta description, as a last resort, when it is not just the start of the first paragraph.</summary>
    private static string? DescriptionFallback(IDocument document, List<ParagraphCandidate> body, string headline)
    {
        var description = Meta(document, "description") ?? Meta(document, "og:description");
        if (description is null || description == headline || description.Length > MaxStandfirstLength ||
            BoilerplateFilter.WordCount(description) < MinStandfirstWords)
        {
            return null;
        }

        var probe = description.TrimEnd('…', '.', ' ');
        probe = probe[..Math.Min(probe.Length, 60)];
        return body.Count > 0 && body[0].Text.StartsWith(probe, StringComparison.Ordinal) ? null : description;
    }

    private static string InlineText(IElement element) =>
        string.Join(' ', CollectBlocks(element, []).Select(p => p.Text));

    /// <summary>
    /// Walks the tree under <paramref name="root"/> without recursion (malformed pages can nest
    /// deeply) and turns each run of text between block boundaries into one paragraph.
    /// </summary>
    private static List<ParagraphCandidate> CollectBlocks(IElement root, HashSet<IElement> skip)
    {
        var blocks = new List<ParagraphCandidate>();
        var rootParagraphs = root.QuerySelectorAll("p").Length;
        var buffer = new StringBuilder();
        int linkDepth = 0, linkChars = 0, allChars = 0;

        void Flush()
        {
            var text = TextCleaner.CleanParagraph(buffer.ToString());
            if (text.Length > 0)
            {
                blocks.Add(new ParagraphCandidate(text, IsLinkOnly: linkChars > 0 && linkChars == allChars));
            }

            buffer.Clear();
            linkChars = 0;
            allChars = 0;
        }

        var stack = new Stack<(INode Node, bool Exit)>();
        PushChildren(stack, root);
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (node is IText textNode)
            {
                var data = textNode.Data;
                buffer.Append(data);
                var visible = data.Count(c => !char.IsWhiteSpace(c));
                allChars += visible;
                if (linkDepth > 0)
                {
                    linkChars += visible;
                }

                continue;
            }

            if (node is not IElement element)
            {
                continue;
            }

            var name = element.LocalName;
            if (exit)
            {
                if (name == "a")
                {
                    linkDepth--;
                }

                if (BlockTags.Contains(name))
                {
                    Flush();
                }

                continue;
            }

            if (skip.Contains(element) || IsNoise(element, rootParagraphs))
            {
                continue;
            }

            if (name is "br" or "hr")
            {
                Flush();
                continue;
            }

            if (BlockTags.Contains(name))
            {
                Flush();
            }

            if (name == "a")
            {
                linkDepth++;
            }

            stack.Push((element, true));
            PushChildren(stack, element);
        }

        Flush();
        return blocks;
    }

    private static void PushChildren(Stack<(INode Node, bool Exit)> stack, INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--)
        {
            stack.Push((children[i], false));
        }
    }

    /// <summary>
    /// Page furniture by tag, ARIA role, hidden state, or class and id names. Names that pages
    /// also put on story wrappers ("share", "paywall", "subscriber", "ad") only count when the
    /// element holds at most half of the root's paragraphs.
    /// </summary>
    private static bool IsNoise(IElement element, int rootParagraphs)
    {
        if (NoiseTags.Contains(element.LocalName) || element.HasAttribute("hidden") ||
            element.GetAttribute("aria-hidden") == "true" ||
            (element.GetAttribute("role") is { } role && NoiseRoles.Contains(role)))
        {
            return true;
        }

        var style = element.GetAttribute("style");
        if (style is not null && HiddenStyle().IsMatch(style))
        {
            return true;
        }

        var names = $"{element.GetAttribute("class")} {element.GetAttribute("id")}";
        if (names.Length <= 1)
        {
            return false;
        }

        names = CamelBoundary().Replace(names, "$1-$2").ToLowerInvariant();
        if (HardNoiseName().IsMatch(names))
        {
            return true;
        }

        return SoftNoiseName().IsMatch(names) &&
            (rootParagraphs < 2 || element.QuerySelectorAll("p").Length * 2 <= rootParagraphs);
    }

    [GeneratedRegex(@"(?:standfirst|\bdek\b|-dek\b|\bdeck\b|subtitle|sub-title|subhead|strapline|summary|article-?intro|lede-?text)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StandfirstClass();

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"(\p{Ll})(\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();

    /// <summary>Class or id words that always mean page furniture.</summary>
    [GeneratedRegex("""
        (?:^|[\s_-])
        (?: related | recommend\w* | newsletters? | sign-?up | cookies? | consent | gdpr | comments? | commenting
          | discussion | disqus | donat\w* | contribut\w* | support-us | footer | nav | navbar | navigation | sidebar
          | breadcrumbs? | outbrain | taboola | most-popular | most-read | popular | trending | read-more
          | more-stories | caption | byline | author-bio | tags? | topics | copyright | disclaimer | advert\w*
          | modal | overlay | menu | masthead | pagination | skip-link | visually-hidden | sr-only | screen-reader\w*
        )
        (?=$|[\s_-])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex HardNoiseName();

    /// <summary>Class or id words that mean furniture on small blocks but sometimes sit on story wrappers.</summary>
    [GeneratedRegex("""
        (?:^|[\s_-])
        (?: share | sharing | social | promo\w* | widget\w* | toolbar | tools | print | banner | teaser\w* | ads? | ad-slot
          | header | subscri\w* | paywall\w* | premium-?promo
        )
        (?=$|[\s_-])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex SoftNoiseName();
}
