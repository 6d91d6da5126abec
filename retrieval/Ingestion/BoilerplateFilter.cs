using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>A paragraph as extracted from the source, before boilerplate removal.</summary>
/// <param name="Text">Cleaned paragraph text.</param>
/// <param name="Kind">The role markup gave it (HTML headline, standfirst); null when only position can tell.</param>
/// <param name="IsLinkOnly">All of its text is one or more links, as in lists of other stories.</param>
internal sealed record ParagraphCandidate(string Text, ParagraphKind? Kind = null, bool IsLinkOnly = false);

/// <summary>
/// Paragraph-level boilerplate rules on top of the sentence cues in <see cref="BoilerplateDetector"/>:
/// <list type="bullet">
/// <item>a paragraph goes when most of its sentences are boilerplate, or when every sentence has
/// some publisher voice and at least one is boilerplate;</item>
/// <item>appeals come in blocks, so a paragraph right after a dropped appeal paragraph goes when
/// every sentence has some publisher voice;</item>
/// <item>boilerplate sentences at the start or end of a kept paragraph are cut off (text glued
/// onto the story by a careless copy, "Your support makes all the difference.A vast caravan …");
/// the kept text is still one verbatim stretch of the source;</item>
/// <item>UI label lines ("Comments", "Share", "Advertisement") go wherever they are;</item>
/// <item>after a related-stories label ("Most read", "More from Science") the unpunctuated
/// headline lines that follow go too;</item>
/// <item>after the last real sentence of the story, short unpunctuated lines (tags, buttons,
/// sign-offs) go.</item>
/// </list>
/// </summary>
internal static class BoilerplateFilter
{
    /// <summary>Headline lines in a related-stories list are at most this many words.</summary>
    private const int MaxListedHeadlineWords = 20;

    /// <summary>Trailing lines this short without sentence punctuation are page furniture, not story.</summary>
    private const int MaxTrailingLabelWords = 6;

    /// <summary>The last story paragraph has at least this many words.</summary>
    private const int MinStoryParagraphWords = 5;

    /// <summary>The kept paragraphs in their original order, some trimmed of leading or trailing boilerplate sentences.</summary>
    /// <param name="paragraphs">The candidate paragraphs in reading order.</param>
    /// <param name="names">The publisher's names, so that it speaking of itself counts as boilerplate.</param>
    /// <param name="dropped">When given, receives every dropped paragraph or trimmed-off sentence run with its rule.</param>
    public static List<ParagraphCandidate> Apply(IReadOnlyList<ParagraphCandidate> paragraphs, PublisherNames names, List<DroppedBlock>? dropped = null)
    {
        var kept = new List<ParagraphCandidate>(paragraphs.Count);
        var previousWasAppeal = false;
        var inRelatedList = false;
        foreach (var paragraph in paragraphs)
        {
            var text = paragraph.Text;
            if (inRelatedList)
            {
                if (!EndsLikeSentence(text) && WordCount(text) <= MaxListedHeadlineWords)
                {
                    dropped?.Add(new DroppedBlock(text, "related-stories list"));
                    continue;
                }

                inRelatedList = false;
            }

            if (BoilerplateDetector.IsRelatedListLabel(text))
            {
                dropped?.Add(new DroppedBlock(text, "related-stories label"));
                inRelatedList = true;
                continue;
            }

            if (BoilerplateDetector.IsLabel(text) || (paragraph.IsLinkOnly && !EndsLikeSentence(text)))
            {
                // Labels such as "Advertisement" sit between story paragraphs, so they do not start an appeal block.
                dropped?.Add(new DroppedBlock(text, paragraph.IsLinkOnly ? "link-only line" : "interface label"));
                previousWasAppeal = false;
                continue;
            }

            var trimmed = TrimBoilerplateSentences(text, names, previousWasAppeal);
            previousWasAppeal = trimmed is null;
            if (trimmed is null)
            {
                dropped?.Add(new DroppedBlock(text, "publisher boilerplate"));
            }
            else
            {
                if (dropped is not null && trimmed.Length < text.Length)
                {
                    var at = text.IndexOf(trimmed, StringComparison.Ordinal);
                    var cut = (text[..at] + " " + text[(at + trimmed.Length)..]).Trim();
                    dropped.Add(new DroppedBlock(cut, "boilerplate sentence glued to story"));
                }

                kept.Add(paragraph with { Text = trimmed });
            }
        }

        DropTrailingLabels(kept, dropped);
        return kept;
    }

    /// <summary>True when the text ends with sentence punctuation, possibly inside closing quotes or brackets.</summary>
    internal static bool EndsLikeSentence(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] is '”' or '’' or '"' or '\'' or ')' or ']' or '»' or ' ')
        {
            end--;
        }

        return end > 0 && text[end - 1] is '.' or '!' or '?' or '…';
    }

    internal static int WordCount(string text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                inWord = false;
            }
            else if (!inWord)
            {
                inWord = true;
                count++;
            }
        }

        return count;
    }

    /// <summary>Null when the whole paragraph is boilerplate; otherwise its text without boilerplate sentences at either end.</summary>
    private static string? TrimBoilerplateSentences(string text, PublisherNames names, bool previousWasAppeal)
    {
        var spans = SentenceSplitter.Split(text);
        if (spans.Count == 0)
        {
            return null;
        }

        var masked = BoilerplateDetector.MaskQuotes(text);
        var scores = new int[spans.Count];
        int boilerplate = 0, publisherVoice = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            scores[i] = BoilerplateDetector.Score(spans[i].Of(masked), names);
            if (scores[i] >= BoilerplateDetector.SentenceThreshold)
            {
                boilerplate++;
            }

            if (scores[i] > 0)
            {
                publisherVoice++;
            }
        }

        var allPublisherVoice = publisherVoice == spans.Count;
        if (boilerplate * 2 > spans.Count || (allPublisherVoice && (boilerplate > 0 || previousWasAppeal)))
        {
            return null;
        }

        var first = 0;
        while (scores[first] >= BoilerplateDetector.SentenceThreshold)
        {
            first++;
        }

        var last = spans.Count - 1;
        while (scores[last] >= BoilerplateDetector.SentenceThreshold)
        {
            last--;
        }

        return first == 0 && last == spans.Count - 1 ? text : text[spans[first].Start..spans[last].End];
    }

    private static void DropTrailingLabels(List<ParagraphCandidate> kept, List<DroppedBlock>? dropped)
    {
        var lastStory = kept.FindLastIndex(p => EndsLikeSentence(p.Text) && WordCount(p.Text) >= MinStoryParagraphWords);
        if (lastStory < 0)
        {
            return;
        }

        for (var i = kept.Count - 1; i > lastStory; i--)
        {
            var p = kept[i];
            if ((p.Kind is null or ParagraphKind.Body or ParagraphKind.Subhead) && !EndsLikeSentence(p.Text) && WordCount(p.Text) <= MaxTrailingLabelWords)
            {
                dropped?.Add(new DroppedBlock(p.Text, "short line after the story"));
                kept.RemoveAt(i);
            }
        }
    }
}
