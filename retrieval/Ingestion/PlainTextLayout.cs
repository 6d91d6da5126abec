namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Finds the paragraphs of a plain-text article. Two layouts occur: one paragraph per line, and
/// paragraphs separated by blank lines whose lines may be hard-wrapped at a fixed width. Blank
/// lines alone do not make text hard-wrapped (many files put a blank line between one-line
/// paragraphs, or a blank line after the headline only), so lines are joined only when the
/// blocks really look wrapped.
/// </summary>
internal static class PlainTextLayout
{
    /// <summary>No editor or mail client wraps wider than this; longer lines are whole paragraphs.</summary>
    private const int MaxWrapWidth = 160;

    /// <summary>
    /// A greedy wrapper breaks a line only when the next word would not fit, so a wrapped line plus
    /// the next word is longer than the wrap width. Measured widths are a lower bound of the real
    /// one and some tools balance lines, hence the slack.
    /// </summary>
    private const double WrapFillRatio = 0.9;

    /// <summary>The raw paragraph texts in reading order (not yet cleaned of spaces or invisible characters).</summary>
    public static List<string> Paragraphs(string text)
    {
        var lines = text.Split('\n');
        var blocks = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (TextCleaner.IsBlank(line))
            {
                current = null;
                continue;
            }

            if (current is null)
            {
                current = [];
                blocks.Add(current);
            }

            current.Add(line.Trim());
        }

        var paragraphs = new List<string>();
        var width = WrapWidth(blocks);
        foreach (var block in blocks)
        {
            if (width is null)
            {
                paragraphs.AddRange(block);
                continue;
            }

            var joined = block[0];
            for (var i = 1; i < block.Count; i++)
            {
                if (IsWrapped(block[i - 1], block[i], width.Value))
                {
                    joined += " " + block[i];
                }
                else
                {
                    paragraphs.Add(joined);
                    joined = block[i];
                }
            }

            paragraphs.Add(joined);
        }

        return paragraphs;
    }

    /// <summary>
    /// The wrap width when blank-line-separated blocks look hard-wrapped, otherwise null (one
    /// paragraph per line). Wrapped lines are the non-final lines of multi-line blocks: they are
    /// narrow, and most of them stop mid-sentence.
    /// </summary>
    private static int? WrapWidth(List<List<string>> blocks)
    {
        if (blocks.Count < 2)
        {
            return null;
        }

        int wrapped = 0, endingSentence = 0, width = 0;
        foreach (var block in blocks)
        {
            for (var i = 0; i < block.Count - 1; i++)
            {
                wrapped++;
                width = Math.Max(width, block[i].Length);
                if (BoilerplateFilter.EndsLikeSentence(block[i]))
                {
                    endingSentence++;
                }
            }
        }

        if (wrapped == 0 || width > MaxWrapWidth || endingSentence * 2 >= wrapped)
        {
            return null;
        }

        return width;
    }

    private static bool IsWrapped(string line, string next, int width)
    {
        if (char.IsLower(next[0]))
        {
            return true;
        }

        var firstWord = next.IndexOf(' ', StringComparison.Ordinal);
        var firstWordLength = firstWord < 0 ? next.Length : firstWord;
        return line.Length + 1 + firstWordLength > width * WrapFillRatio;
    }
}
