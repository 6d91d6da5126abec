using System.Globalization;
using System.Text;

namespace CaravanBot.Retrieval.Ingestion.Benchmark;

/// <summary>The benchmark's four figures over a set of pages.</summary>
/// <param name="Pages">Pages scored.</param>
/// <param name="F1">Harmonic mean of the averaged precision and recall.</param>
/// <param name="Precision">Per-page shingle precision, averaged over the pages that returned text.</param>
/// <param name="Recall">Per-page shingle recall, averaged over the pages that have a story.</param>
/// <param name="Lost">Pages with a story for which the extractor returned nothing.</param>
public sealed record ExtractionScore(int Pages, double F1, double Precision, double Recall, int Lost)
{
    /// <summary>The line <c>score.py</c> prints, character for character.</summary>
    public string ToScoreLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"pages {Pages}, F1 {F1:F3}, precision {Precision:F3}, recall {Recall:F3}, lost {Lost}");

    /// <summary>
    /// Scores predicted story texts against the true ones with the article-extraction benchmark's
    /// own metric, ported from its <c>score.py</c>: words are runs of word characters, each text
    /// becomes the multiset of its 4-word shingles, and per page the true-positive, false-positive
    /// and false-negative counts are normalised by their sum before precision and recall are
    /// averaged over pages. The arithmetic is done in the same order as the script so the printed
    /// figures agree with it to the last digit.
    /// </summary>
    /// <param name="pages">(true story, predicted story) per page, in the ground truth's order.</param>
    public static ExtractionScore Compute(IEnumerable<(string Truth, string Predicted)> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        var precisions = new List<double>();
        var recalls = new List<double>();
        int count = 0, lost = 0;
        foreach (var (truth, predicted) in pages)
        {
            count++;
            var (tp, fp, fn) = PageCounts(truth, predicted);
            if (IsPythonBlank(predicted) && !IsPythonBlank(truth))
            {
                lost++;
            }

            if (tp + fp > 0 || (fp == 0 && fn == 0))
            {
                precisions.Add(fp == 0 && fn == 0 ? 1.0 : tp / (tp + fp));
            }

            if (tp + fn > 0 || (fp == 0 && fn == 0))
            {
                recalls.Add(fp == 0 && fn == 0 ? 1.0 : tp / (tp + fn));
            }
        }

        var precision = SumInOrder(precisions) / precisions.Count;
        var recall = SumInOrder(recalls) / recalls.Count;
        var f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new ExtractionScore(count, f1, precision, recall, lost);
    }

    /// <summary>One page's normalised (true positive, false positive, false negative) shingle shares.</summary>
    internal static (double Tp, double Fp, double Fn) PageCounts(string truth, string predicted)
    {
        var t = Shingles(truth);
        var p = Shingles(predicted);
        long tp = 0, fp = 0, fn = 0;
        foreach (var (shingle, inPredicted) in p)
        {
            var inTruth = t.GetValueOrDefault(shingle);
            tp += Math.Min(inTruth, inPredicted);
            fp += Math.Max(0, inPredicted - inTruth);
        }

        foreach (var (shingle, inTruth) in t)
        {
            fn += Math.Max(0, inTruth - p.GetValueOrDefault(shingle));
        }

        double total = tp + fp + fn;
        return total > 0 ? (tp / total, fp / total, fn / total) : (0.0, 0.0, 0.0);
    }

    /// <summary>The multiset of 4-word shingles; a text of fewer words is one shingle of all of them.</summary>
    internal static Dictionary<string, int> Shingles(string text)
    {
        const int n = 4;
        var words = Words(text).ToArray();
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (words.Length == 0)
        {
            return result;
        }

        if (words.Length < n)
        {
            result[string.Join('\u0001', words)] = 1;
            return result;
        }

        for (var i = 0; i + n <= words.Length; i++)
        {
            var key = string.Join('\u0001', words, i, n);
            result[key] = result.GetValueOrDefault(key) + 1;
        }

        return result;
    }

    /// <summary>
    /// Runs of Python's <c>\w</c>: characters that are alphanumeric to Python (letters, and
    /// decimal, digit and other numeric characters) or the underscore. Combining marks and other
    /// connector punctuation, which .NET's <c>\w</c> also takes, end a word here as they do there.
    /// </summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsPythonWordCharacter(rune))
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static bool IsPythonWordCharacter(Rune rune) =>
        rune.Value == '_' || Rune.GetUnicodeCategory(rune) is
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    /// <summary>Python's <c>str.strip()</c> leaves nothing.</summary>
    private static bool IsPythonBlank(string text)
    {
        foreach (var c in text)
        {
            // Python's isspace also counts the information separators U+001C..U+001F.
            if (!char.IsWhiteSpace(c) && c is not ('\u001C' or '\u001D' or '\u001E' or '\u001F'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Left-to-right summation, as Python 3.11's built-in <c>sum</c> does over floats.</summary>
    private static double SumInOrder(List<double> values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }
}
