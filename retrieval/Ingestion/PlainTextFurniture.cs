using System.Globalization;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Page furniture in text copied from a web page, where no markup tells it from the story:
/// navigation labels above the headline, bylines, date lines (also when glued to a sentence),
/// share bars, photo credits and gallery counters go; photo captions stay, marked as captions, so
/// that answers can prefer the story's own sentences. What the lines said about the story (who
/// wrote it, when) is kept as metadata.
/// </summary>
internal static class PlainTextFurniture
{
    /// <summary>Navigation and section labels are at most this many words.</summary>
    private const int MaxLabelWords = 4;

    /// <summary>Only short lines count as repeats; a long paragraph twice is the source's own doing.</summary>
    private const int MaxRepeatedLineWords = 30;

    /// <summary>A caption is a sentence or two about a photo.</summary>
    private const int MaxCaptionWords = 60;

    /// <summary>Headlines, even as questions, stay under this many words; a story's first paragraph does not.</summary>
    private const int MinStoryParagraphWords = 12;

    /// <summary>A headline kept at the end of a run of labels has more words than a section name.</summary>
    private const int MinShortHeadlineWords = 3;

    /// <summary>The lines with furniture removed and captions marked, plus the metadata the removed lines held.</summary>
    public static (List<ParagraphCandidate> Lines, ArticleMetadata Metadata) Apply(IEnumerable<string> lines, List<DroppedBlock> dropped)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(dropped);
        var kept = new List<ParagraphCandidate>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? byline = null;
        DateTimeOffset? published = null;
        foreach (var raw in lines)
        {
            var line = raw;
            if (PageFurniture.SplitGluedDate(line) is var (story, date))
            {
                dropped.Add(new DroppedBlock(date, "date glued to text"));
                published ??= ParseDate(date);
                line = story;
            }

            var rule = PageFurniture.Classify(line);
            if (rule is null && !seen.Add(line) && BoilerplateFilter.WordCount(line) <= MaxRepeatedLineWords)
            {
                // A line seen before is a teaser or a repeated label, not a second telling of the story.
                rule = "repeated line";
            }

            if (rule is not null)
            {
                dropped.Add(new DroppedBlock(line, rule));
                if (rule == "photo credit" && kept.Count > 0 && kept[^1].Kind is null && BoilerplateFilter.WordCount(kept[^1].Text) <= MaxCaptionWords)
                {
                    // A photo's credit sits right under its caption.
                    kept[^1] = kept[^1] with { Kind = ParagraphKind.Caption };
                }

                if (rule == "byline")
                {
                    byline ??= BylineName(line);
                }
                else if (rule == "date line")
                {
                    published ??= ParseDate(line);
                }

                continue;
            }

            kept.Add(new ParagraphCandidate(line, PageFurniture.IsCaption(line) ? ParagraphKind.Caption : null));
        }

        DropLeadingNavigation(kept, dropped);
        return (kept, new ArticleMetadata { Byline = byline, Published = published });
    }

    /// <summary>
    /// A copy that starts above the headline brings the site's navigation with it ("Explore",
    /// "Magazine subscription", "Photo of the Day", "US &amp; Canada"). A run of two or more short
    /// unpunctuated lines at the start is navigation, except that its last line is kept when
    /// the story's first paragraph follows at once (then that line is the headline). A single short
    /// line at the start is navigation only when it reads like a section name: one word, or
    /// words joined by "&amp;", "|", "›" or "/".
    /// </summary>
    private static void DropLeadingNavigation(List<ParagraphCandidate> lines, List<DroppedBlock> dropped)
    {
        var run = 0;
        while (run < lines.Count && IsLabelShaped(lines[run].Text))
        {
            run++;
        }

        if (run == 0 || run == lines.Count)
        {
            return;
        }

        var drop = run;
        if (run == 1)
        {
            var text = lines[0].Text;
            var sectionName = BoilerplateFilter.WordCount(text) == 1 || text.AsSpan().IndexOfAny("&|›»/") >= 0;
            if (!sectionName)
            {
                return;
            }
        }
        else if (BoilerplateFilter.WordCount(lines[run - 1].Text) >= MinShortHeadlineWords && LooksLikeStoryParagraph(lines[run].Text))
        {
            drop = run - 1;
        }

        for (var i = 0; i < drop; i++)
        {
            dropped.Add(new DroppedBlock(lines[i].Text, "navigation label"));
        }

        lines.RemoveRange(0, drop);
    }

    /// <summary>The story's first paragraph: a full sentence longer than any headline.</summary>
    private static bool LooksLikeStoryParagraph(string line) =>
        BoilerplateFilter.EndsLikeSentence(line) && BoilerplateFilter.WordCount(line) >= MinStoryParagraphWords;

    private static bool IsLabelShaped(string line) =>
        BoilerplateFilter.WordCount(line) <= MaxLabelWords && !BoilerplateFilter.EndsLikeSentence(line) &&
        line.TrimEnd()[^1] is not (',' or ';') && line.Any(char.IsLetter);

    private static string BylineName(string line)
    {
        var text = line.Trim();
        var by = text.IndexOf("by ", StringComparison.OrdinalIgnoreCase);
        if (by >= 0 && by < 30)
        {
            text = text[(by + 3)..].TrimStart(':', ' ');
        }

        var separator = text.AsSpan().IndexOfAny("|–—-•·(");
        return (separator > 0 ? text[..separator] : text).Trim().TrimEnd(',');
    }

    private static DateTimeOffset? ParseDate(string text)
    {
        var cleaned = text.Trim().TrimEnd('.');
        foreach (var prefix in new[] { "Updated", "Published", "First published", "Posted", "Last updated" })
        {
            if (cleaned.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                cleaned = cleaned[prefix.Length..].TrimStart(':', ' ');
            }
        }

        return DateTimeOffset.TryParse(cleaned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date.Year >= 1990
            ? date
            : null;
    }
}
