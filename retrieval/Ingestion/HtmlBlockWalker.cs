using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>What kind of element a block of page text came from.</summary>
internal enum HtmlBlockRole
{
    /// <summary>A paragraph, or text in a generic container.</summary>
    Paragraph,

    /// <summary>An <c>h1</c>–<c>h6</c> heading.</summary>
    Heading,

    /// <summary>An item of a list.</summary>
    ListItem,

    /// <summary>A row of a table, its cells separated by spaces.</summary>
    TableCell,

    /// <summary>A figure caption.</summary>
    Caption,
}

/// <summary>One run of page text between block boundaries.</summary>
/// <param name="Text">The cleaned text.</param>
/// <param name="Role">The kind of element it came from.</param>
/// <param name="LinkDensity">Share of its visible characters that sit inside links (0–1).</param>
internal sealed record HtmlBlock(string Text, HtmlBlockRole Role, double LinkDensity);

/// <summary>How much of a page the walker treats as furniture.</summary>
internal enum WalkPolicy
{
    /// <summary>Inside a story container: skip navigation, asides, figures, forms and elements named as furniture.</summary>
    Story,

    /// <summary>The whole page, as a last resort: skip only what a reader never sees (scripts, hidden elements).</summary>
    WholePage,
}

/// <summary>
/// Turns the text under an element into blocks, one per run of text between block boundaries, so
/// pages without <c>&lt;p&gt;</c> (text in <c>&lt;div&gt;</c>s or split by <c>&lt;br&gt;</c>) still
/// give paragraphs. Furniture elements are skipped by tag, ARIA role, hidden state, and class or id
/// names; each skipped element with text is reported with the rule that skipped it.
/// </summary>
internal static partial class HtmlBlockWalker
{
    /// <summary>Never text a reader sees.</summary>
    private static readonly FrozenSet<string> InvisibleTags = FrozenSet.ToFrozenSet(
        [
            "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "canvas", "iframe",
            "object", "embed", "video", "audio", "picture", "img", "map", "select", "option", "textarea", "input",
            "button",
        ],
        StringComparer.Ordinal);

    /// <summary>Page furniture by tag: navigation, asides, footers, forms, dialogs, figures and their captions.</summary>
    private static readonly FrozenDictionary<string, string> FurnitureTags = new Dictionary<string, string>
    {
        ["nav"] = "navigation",
        ["aside"] = "aside",
        ["footer"] = "footer",
        ["header"] = "page or article header",
        ["form"] = "form",
        ["label"] = "form",
        ["dialog"] = "dialog",
        ["menu"] = "menu",
        ["figure"] = "figure and caption",
        ["figcaption"] = "figure and caption",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> FurnitureRoles = FrozenSet.ToFrozenSet(
        [
            "navigation", "complementary", "contentinfo", "banner", "dialog", "alertdialog", "search", "menu",
            "menubar", "toolbar", "tablist",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Elements that end a run of text.</summary>
    internal static readonly FrozenSet<string> BlockTags = FrozenSet.ToFrozenSet(
        [
            "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
            "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
            "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section",
            "summary", "table", "tbody", "tfoot", "thead", "tr", "ul",
        ],
        StringComparer.Ordinal);

    /// <summary>Blocks of text under <paramref name="root"/> in reading order.</summary>
    /// <param name="root">Where to start.</param>
    /// <param name="policy">How much to treat as furniture.</param>
    /// <param name="skip">Elements already used elsewhere (the headline, the standfirst).</param>
    /// <param name="dropped">When given, receives the text of every skipped furniture element with its rule.</param>
    public static List<HtmlBlock> Collect(IElement root, WalkPolicy policy, IReadOnlySet<IElement> skip, List<DroppedBlock>? dropped = null)
    {
        var blocks = new List<HtmlBlock>();
        var rootParagraphChars = ParagraphChars(root);
        var buffer = new StringBuilder();
        int linkDepth = 0, linkChars = 0, allChars = 0;
        INode? firstText = null;

        void Flush()
        {
            var text = TextCleaner.CleanParagraph(buffer.ToString());
            if (text.Length > 0 && allChars > 0)
            {
                blocks.Add(new HtmlBlock(text, RoleOf(firstText, root), (double)linkChars / allChars));
            }

            buffer.Clear();
            linkChars = 0;
            allChars = 0;
            firstText = null;
        }

        var stack = new Stack<(INode Node, bool Exit)>();
        PushChildren(stack, root);
        while (stack.Count > 0)
        {
            var (node, exit) = stack.Pop();
            if (node is IText textNode)
            {
                var data = textNode.Data;
                var visible = 0;
                foreach (var c in data)
                {
                    if (!char.IsWhiteSpace(c))
                    {
                        visible++;
                    }
                }

                if (visible > 0 && firstText is null)
                {
                    firstText = textNode;
                }

                buffer.Append(data);
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

            if (skip.Contains(element))
            {
                continue;
            }

            var rule = SkipRule(element, policy, rootParagraphChars);
            if (rule is not null)
            {
                if (dropped is not null && rule != InvisibleRule)
                {
                    var text = TextCleaner.CleanParagraph(element.TextContent);
                    if (text.Length > 0)
                    {
                        dropped.Add(new DroppedBlock(text, rule));
                    }
                }

                // A skipped inline element (a hidden pop-up inside a sentence) must not glue the words around it.
                if (!BlockTags.Contains(name))
                {
                    buffer.Append(' ');
                }

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

            if (name is "td" or "th")
            {
                // Cells of a row stay one block, as a reader copying the table gets them.
                buffer.Append(' ');
            }

            stack.Push((element, true));
            PushChildren(stack, element);
        }

        Flush();
        return blocks;
    }

    /// <summary>Characters of paragraph text (<c>&lt;p&gt;</c>) under the element.</summary>
    internal static int ParagraphChars(IElement element)
    {
        var total = 0;
        foreach (var p in element.QuerySelectorAll("p"))
        {
            total += p.TextContent.Length;
        }

        return total;
    }

    /// <summary>True when the element is furniture by tag, role or name (for searches outside a walk, such as the standfirst's).</summary>
    internal static bool IsInsideFurniture(IElement element)
    {
        for (var e = element; e is not null; e = e.ParentElement)
        {
            if (e.LocalName is "nav" or "aside" or "footer" or "form" or "figure" or "figcaption" ||
                (e.GetAttribute("role") is { } role && FurnitureRoles.Contains(role) && role != "banner") ||
                FurnitureName().IsMatch(NamesOf(e)))
            {
                return true;
            }
        }

        return false;
    }

    private const string InvisibleRule = "invisible";

    /// <summary>
    /// Why the element is skipped, or null to walk into it. Furniture names ("related", "share",
    /// "sidebar", "promo") also turn up on wrappers of the whole story ("content-with-sidebar",
    /// "article-body paywall"), so a named element that holds most of the root's paragraph text
    /// is walked all the same.
    /// </summary>
    private static string? SkipRule(IElement element, WalkPolicy policy, int rootParagraphChars)
    {
        var name = element.LocalName;
        if (InvisibleTags.Contains(name) || element.HasAttribute("hidden") || element.GetAttribute("aria-hidden") == "true" ||
            (element.GetAttribute("style") is { } style && HiddenStyle().IsMatch(style)))
        {
            return InvisibleRule;
        }

        if (policy == WalkPolicy.WholePage)
        {
            return null;
        }

        if (FurnitureTags.TryGetValue(name, out var tagRule))
        {
            return tagRule;
        }

        if (element.GetAttribute("role") is { } role && FurnitureRoles.Contains(role))
        {
            return $"furniture role '{role}'";
        }

        var names = NamesOf(element);
        if (names.Length == 0)
        {
            return null;
        }

        var match = FurnitureName().Match(names);
        if (!match.Success)
        {
            return null;
        }

        var holdsTheStory = rootParagraphChars > 0 && ParagraphChars(element) * 2 > rootParagraphChars;
        return holdsTheStory ? null : $"furniture class '{match.Value.Trim(' ', '-', '_')}'";
    }

    /// <summary>Class and id, camelCase split and lower-cased, so "relatedStories" reads as "related-stories".</summary>
    private static string NamesOf(IElement element)
    {
        var classes = element.GetAttribute("class");
        var id = element.GetAttribute("id");
        if (string.IsNullOrEmpty(classes) && string.IsNullOrEmpty(id))
        {
            return string.Empty;
        }

        return CamelBoundary().Replace($"{classes} {id}", "$1-$2").ToLowerInvariant();
    }

    private static HtmlBlockRole RoleOf(INode? text, IElement root)
    {
        var role = HtmlBlockRole.Paragraph;
        var innermostSeen = false;
        for (var e = text?.ParentElement; e is not null && e != root.ParentElement; e = e.ParentElement)
        {
            var name = e.LocalName;
            if (!innermostSeen && BlockTags.Contains(name))
            {
                innermostSeen = true;
                role = name switch
                {
                    "h1" or "h2" or "h3" or "h4" or "h5" or "h6" => HtmlBlockRole.Heading,
                    "li" or "dt" or "dd" => HtmlBlockRole.ListItem,
                    "tr" or "caption" => HtmlBlockRole.TableCell,
                    "figcaption" => HtmlBlockRole.Caption,
                    _ => HtmlBlockRole.Paragraph,
                };
            }

            if (name is "figcaption")
            {
                return HtmlBlockRole.Caption;
            }
        }

        return role;
    }

    private static void PushChildren(Stack<(INode Node, bool Exit)> stack, INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = children.Length - 1; i >= 0; i--)
        {
            stack.Push((children[i], false));
        }
    }

    [GeneratedRegex(@"display\s*:\s*none|visibility\s*:\s*hidden", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HiddenStyle();

    [GeneratedRegex(@"(\p{Ll})(\p{Lu})", RegexOptions.CultureInvariant)]
    private static partial Regex CamelBoundary();

    /// <summary>Class or id words that mean page furniture.</summary>
    [GeneratedRegex("""
        (?:^|[\s_-])
        (?: related | recommend\w* | newsletters? | sign-?up | cookies? | consent | gdpr | comments? | commenting
          | discussion | disqus | donat\w* | support-us | footer | nav | navbar | navigation | sidebar
          | breadcrumbs? | outbrain | taboola | most-popular | most-read | popular | trending | read-more
          | more-stories | caption | byline | author-bio | tags? | topics | copyright | disclaimer | advert\w*
          | modal | overlay | menu | masthead | pagination | skip-link | visually-hidden | sr-only | screen-reader\w*
          | share | sharing | social | promo\w* | widget\w* | toolbar | tools | print | banner | teaser\w* | ads? | ad-slot
          | subscri\w* | paywall\w* | premium-?promo
        )
        (?=$|[\s_-])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex FurnitureName();
}
