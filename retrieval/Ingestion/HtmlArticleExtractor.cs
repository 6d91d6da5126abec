using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>The headline, standfirst and story proposals of a saved news page, before boilerplate removal.</summary>
/// <param name="Lead">Headline and standfirst when found, marked with their kind.</param>
/// <param name="Metadata">Byline, date, publisher and address declared by the page.</param>
/// <param name="Proposals">Story proposals, best first; the last is the whole page's text, walked only when asked for.</param>
internal sealed record HtmlExtraction(List<ParagraphCandidate> Lead, ArticleMetadata Metadata, IReadOnlyList<Lazy<StoryProposal>> Proposals);

/// <summary>One extractor's proposal for the story, after the block-level furniture rules.</summary>
/// <param name="Extractor">Which extractor proposed it.</param>
/// <param name="Paragraphs">Body and subhead blocks in reading order.</param>
/// <param name="Dropped">Blocks of the proposal that furniture rules dropped, with their rule.</param>
/// <param name="StoryChars">Characters of sentence-like body text, to compare proposals.</param>
internal sealed record StoryProposal(string Extractor, List<ParagraphCandidate> Paragraphs, List<DroppedBlock> Dropped, int StoryChars);

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

    /// <summary>A sentence at least this long stays even when most of its words are links.</summary>
    private const int MinLinkedSentenceWords = 8;

    /// <summary>Share of Readability's text the markup container must also hold to replace it.</summary>
    private const double MinSharedStory = 0.8;

    /// <summary>How much more story text the markup container must hold to replace Readability's.</summary>
    private const double MinGainForMarkup = 1.15;

    /// <summary>Section names and kickers above a story are at most this many words.</summary>
    private const int MaxLabelWords = 4;

    /// <summary>A story's first paragraph is a full sentence of at least this many words.</summary>
    private const int MinFirstParagraphWords = 8;

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

        var candidates = new List<StoryProposal>();
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

        var lead = new List<ParagraphCandidate>(2);
        if (!string.IsNullOrEmpty(headlineText))
        {
            lead.Add(new ParagraphCandidate(headlineText, ParagraphKind.Headline));
        }

        if (!string.IsNullOrEmpty(standfirstText) && standfirstText != headlineText)
        {
            lead.Add(new ParagraphCandidate(standfirstText, ParagraphKind.Standfirst));
        }

        // The chosen proposal first, then the other, then the whole page: the reader moves on when
        // boilerplate removal leaves a proposal without story.
        var chosen = Choose(candidates);
        var proposals = new List<Lazy<StoryProposal>>();
        if (chosen is not null)
        {
            proposals.Add(new Lazy<StoryProposal>(chosen));
        }

        proposals.AddRange(candidates.Where(c => c != chosen && c.Paragraphs.Count > 0).Select(c => new Lazy<StoryProposal>(c)));

        // The page is parsed again: the walk must not race the disposal of this document.
        proposals.Add(new Lazy<StoryProposal>(() =>
        {
            using var again = parser.ParseDocument(html);
            var body = again.Body ?? again.DocumentElement;
            return Walk(WholePageExtractor, body, WalkPolicy.WholePage, new HashSet<IElement>(), exclude);
        }));
        return new HtmlExtraction(lead, metadata, proposals);
    }

    /// <summary>
    /// Readability's proposal, unless the page's markup proposes a container that holds nearly all
    /// of it and clearly more story besides (Readability sometimes keeps only the largest run of
    /// a story that ads or embeds split). A bigger container that does not hold Readability's
    /// story is a comment section or a list of teasers, not a better story.
    /// </summary>
    private static StoryProposal? Choose(List<StoryProposal> candidates)
    {
        var readability = candidates.FirstOrDefault(c => c.Extractor == ReadabilityExtractor && c.StoryChars > 0);
        var markup = candidates.FirstOrDefault(c => c.Extractor == MarkupExtractor && c.StoryChars > 0);
        if (readability is null || markup is null)
        {
            return readability ?? markup;
        }

        var inMarkup = markup.Paragraphs.Select(p => p.Text).ToHashSet(StringComparer.Ordinal);
        var shared = readability.Paragraphs.Where(p => inMarkup.Contains(p.Text)).Sum(p => p.Text.Length);
        var total = readability.Paragraphs.Sum(p => p.Text.Length);
        return shared >= total * MinSharedStory && markup.StoryChars >= readability.StoryChars * MinGainForMarkup ? markup : readability;
    }

    /// <summary>Walks a proposed container and applies the block-level furniture rules.</summary>
    private static StoryProposal Walk(string name, IElement root, WalkPolicy policy, HashSet<IElement> skip, HashSet<string> exclude)
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

        DropLabelsAboveStory(paragraphs, dropped);
        return new StoryProposal(name, paragraphs, dropped, storyChars);
    }

    /// <summary>
    /// Kickers, section names and breadcrumbs ("US &amp; Canada", "Politics") sit above a story's
    /// first paragraph: short unpunctuated blocks before the first full sentence go, when there is one.
    /// </summary>
    private static void DropLabelsAboveStory(List<ParagraphCandidate> paragraphs, List<DroppedBlock> dropped)
    {
        var first = paragraphs.FindIndex(p => BoilerplateFilter.EndsLikeSentence(p.Text) && BoilerplateFilter.WordCount(p.Text) >= MinFirstParagraphWords);
        for (var i = first - 1; i >= 0; i--)
        {
            var text = paragraphs[i].Text;
            if (BoilerplateFilter.WordCount(text) <= MaxLabelWords && !BoilerplateFilter.EndsLikeSentence(text))
            {
                dropped.Add(new DroppedBlock(text, "label above the story"));
                paragraphs.RemoveAt(i);
            }
        }
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

        if (block.LinkDensity > MaxLinkDensity && !(sentence && words >= MinLinkedSentenceWords))
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

    /// <summary>
    /// The story container the page's markup points to. The element whose own <c>&lt;p&gt;</c>
    /// children hold the most text (the densest paragraphs) anchors the choice: the innermost
    /// marked container (<c>[itemprop=articleBody]</c> preferred, then <c>&lt;article&gt;</c>,
    /// <c>&lt;main&gt;</c>) that holds it, else the largest marked container inside it, else the
    /// anchor itself. A marked container that does not hold the densest paragraphs (teaser
    /// <c>&lt;article&gt;</c>s beside a story in a <c>&lt;section&gt;</c>) loses to them.
    /// </summary>
    private static IElement? FindMarkupRoot(IDocument document)
    {
        var marked = document.QuerySelectorAll("[itemprop~='articleBody']")
            .Concat(document.QuerySelectorAll("article"))
            .Concat(document.QuerySelectorAll("main, [role='main']"))
            .Select(e => (Element: e, Length: HtmlBlockWalker.ParagraphChars(e)))
            .Where(c => c.Length > 0)
            .ToList();

        var totals = new Dictionary<IElement, int>();
        foreach (var p in document.QuerySelectorAll("p"))
        {
            if (p.ParentElement is { } parent)
            {
                totals[parent] = totals.GetValueOrDefault(parent) + p.TextContent.Length;
            }
        }

        var densest = totals.Count == 0 ? null : totals.MaxBy(t => t.Value).Key;
        if (densest is null)
        {
            return marked.Count == 0 ? null : marked.MaxBy(c => c.Length).Element;
        }

        var articleBody = marked.Where(c => c.Element.GetAttribute("itemprop")?.Contains("articleBody", StringComparison.OrdinalIgnoreCase) == true).ToList();
        var pool = articleBody.Exists(c => c.Element.Contains(densest) || densest.Contains(c.Element)) ? articleBody : marked;
        var holding = pool.Where(c => c.Element.Contains(densest)).ToList();
        if (holding.Count > 0)
        {
            return holding.MinBy(c => c.Length).Element;
        }

        var inside = pool.Where(c => densest.Contains(c.Element)).ToList();
        return inside.Count > 0 ? inside.MaxBy(c => c.Length).Element : densest;
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

            // A byline or date stamp in summary-styled markup is page furniture, not the standfirst.
            var text = InlineText(element);
            if (text.Length <= MaxStandfirstLength && BoilerplateFilter.WordCount(text) >= MinStandfirstWords &&
                element.QuerySelectorAll("p").Length <= 1 && !PageFurniture.IsDateLine(text) && !PageFurniture.IsByline(text))
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
