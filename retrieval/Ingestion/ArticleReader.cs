using System.Security;
using System.Text;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Reads an article from plain text or a saved HTML page into numbered paragraphs,
/// dropping publisher boilerplate and repairing glued sentences.
/// </summary>
/// <remarks>
/// Paragraph text is kept verbatim apart from whitespace (runs of spaces, tabs and NBSP become
/// one space; hard-wrapped lines are joined with a space) and invisible characters (zero-width
/// characters, BOM, control characters), so a quoted paragraph can be found in the source.
/// </remarks>
public static class ArticleReader
{
    /// <summary>The path that means standard input.</summary>
    public const string StandardInputPath = "-";

    /// <summary>Name of the plain-text reader in ingestion reports.</summary>
    public const string PlainTextExtractor = "plain text";

    /// <summary>Source name for an article read from standard input.</summary>
    public const string StandardInputSource = "stdin";

    /// <summary>
    /// A plain-text second paragraph longer than this is story, not a standfirst. Standfirsts run
    /// to one or two sentences (the seed article's is 169 characters).
    /// </summary>
    private const int MaxStandfirstLength = 400;

    /// <summary>A subhead is a few words introducing the next paragraphs.</summary>
    private const int MaxSubheadWords = 10;

    /// <summary>A plain-text first paragraph longer than this, with more than one sentence, is story rather than a headline.</summary>
    private const int MaxHeadlineLength = 300;

    /// <summary>No news article comes near this size; a file this big is a mistake (a dump, a video) and would only waste memory.</summary>
    private const long MaxFileBytes = 64L * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a file; <c>.html</c>/<c>.htm</c> (or content that looks like HTML) is parsed as a web page.</summary>
    /// <remarks>The path <c>-</c> reads standard input, as HTML when it starts like an HTML document.</remarks>
    /// <exception cref="ArticleLoadException">
    /// The file is missing, a directory, unreadable, empty, or has no story paragraphs after cleaning.
    /// </exception>
    public static Article ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == StandardInputPath)
        {
            return ReadFrom(Console.In, StandardInputSource);
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArticleLoadException("No article file given.");
        }

        string text;
        try
        {
            if (Directory.Exists(path))
            {
                throw new ArticleLoadException($"Cannot read article '{path}': it is a directory, not a file.");
            }

            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw new ArticleLoadException($"Article file not found: '{path}'.");
            }

            if (file.Length > MaxFileBytes)
            {
                throw new ArticleLoadException($"Article file '{path}' is too large ({file.Length / (1024 * 1024)} MB); articles are at most {MaxFileBytes / (1024 * 1024)} MB.");
            }

            text = Decode(ReadAtMost(path, MaxFileBytes), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or NotSupportedException or ArgumentException)
        {
            throw new ArticleLoadException($"Cannot read article '{path}': {OneLine(e.Message)}", e);
        }

        var extension = Path.GetExtension(path);
        var isHtml = extension.Equals(".html", StringComparison.OrdinalIgnoreCase) ||
            extension.Equals(".htm", StringComparison.OrdinalIgnoreCase) ||
            extension.Equals(".xhtml", StringComparison.OrdinalIgnoreCase) ||
            LooksLikeHtml(text);
        return isHtml ? ReadHtml(text, path) : ReadText(text, path);
    }

    /// <summary>
    /// The article's bytes as text. A byte-order mark names the encoding; without one, UTF-16
    /// (little- or big-endian) is recognised by its zero bytes, then UTF-8 is tried strictly, and
    /// anything else is taken as Windows-1252, the usual encoding of older saved pages and
    /// word-processor exports, so curly quotes and accents survive instead of becoming
    /// replacement characters.
    /// </summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="source">The file's name, for the error message.</param>
    /// <exception cref="ArticleLoadException">The bytes are not text (a program, an image, an archive).</exception>
    internal static string Decode(byte[] bytes, string source = "article")
    {
        var text = DecodeText(bytes);
        ThrowIfBinary(text, source);
        return text;
    }

    private static string DecodeText(byte[] bytes)
    {
        var encoding = TextSniffer.DetectUnicodeWithoutMark(bytes);
        if (encoding is not null)
        {
            try
            {
                return encoding.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                // Not UTF-16 after all; the checks below decide.
            }
        }

        using var reader = new StreamReader(new MemoryStream(bytes), StrictUtf8, detectEncodingFromByteOrderMarks: true);
        try
        {
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            return (CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? Encoding.Latin1).GetString(bytes);
        }
    }

    /// <summary>Reads plain text: one paragraph per line, or paragraphs separated by blank lines.</summary>
    public static Article ReadText(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);
        text = TextCleaner.NormalizeLineBreaks(text);
        ThrowIfEmpty(text, source);
        ThrowIfBinary(text, source);

        var dropped = new List<DroppedBlock>();
        var (candidates, metadata) = PlainTextFurniture.Apply(
            PlainTextLayout.Paragraphs(text).Select(TextCleaner.CleanParagraph).Where(p => p.Length > 0),
            dropped);
        var names = PublisherNames.Learn(candidates.Select(c => c.Text), []);
        var kept = BoilerplateFilter.Apply(candidates, names, dropped);
        var extractor = PlainTextExtractor;
        if (!HasStory(AssignPositionalKinds(kept)) && StorySentences(candidates) is { Count: > 0 } sentences)
        {
            kept = [.. candidates.Take(1).Where(c => !sentences.Exists(s => s.Text == c.Text)), .. sentences];
            extractor = $"{PlainTextExtractor}, publisher-voice rules set aside ({LastResortReason})";
        }

        return Build(AssignPositionalKinds(kept), source) with
        {
            Metadata = metadata,
            Ingestion = new IngestionReport(extractor, dropped),
        };
    }

    /// <summary>Reads a saved news page and keeps its main article content.</summary>
    public static Article ReadHtml(string html, string source)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(source);
        html = TextCleaner.NormalizeLineBreaks(html);
        ThrowIfEmpty(html, source);
        ThrowIfBinary(html, source);

        var extraction = HtmlArticleExtractor.Extract(html);
        List<ParagraphCandidate>? kept = null;
        StoryProposal? used = null;
        var dropped = new List<DroppedBlock>();
        foreach (var proposal in extraction.Proposals)
        {
            used = proposal.Value;
            List<ParagraphCandidate> all = [.. extraction.Lead, .. used.Paragraphs];
            var names = PublisherNames.Learn(all.Select(p => p.Text), [extraction.Metadata.Publisher]);
            dropped = [.. used.Dropped];
            kept = BoilerplateFilter.Apply(all, names, dropped);
            if (HasStory(kept))
            {
                break;
            }
        }

        var extractor = used?.Extractor ?? HtmlArticleExtractor.WholePageExtractor;
        if (!HasStory(kept ?? []) && used is not null && StorySentences(used.Paragraphs) is { Count: > 0 } sentences)
        {
            kept = [.. extraction.Lead, .. sentences];
            extractor = $"{extractor}, publisher-voice rules set aside ({LastResortReason})";
        }

        return Build(MarkLedeStandfirst(kept ?? []), source) with
        {
            Metadata = extraction.Metadata,
            Ingestion = new IngestionReport(extractor, dropped),
        };
    }

    private const string LastResortReason = "they left no story";

    /// <summary>Paragraphs that read like story in the last resort: full sentences of some length.</summary>
    private const int MinLastResortWords = 8;

    private static bool HasStory(List<ParagraphCandidate> kept) => kept.Any(p => p.Kind == ParagraphKind.Body);

    /// <summary>
    /// The last resort before giving up: when the publisher-voice and boilerplate rules leave no
    /// story (a publisher writing about itself, a blog addressing its readers), the full
    /// sentences they dropped are the story after all, rather than losing it.
    /// </summary>
    private static List<ParagraphCandidate> StorySentences(IEnumerable<ParagraphCandidate> candidates) =>
        candidates
            .Where(p => p.Kind is null or ParagraphKind.Body && BoilerplateFilter.EndsLikeSentence(p.Text) && BoilerplateFilter.WordCount(p.Text) >= MinLastResortWords)
            .Select(p => p with { Kind = ParagraphKind.Body })
            .ToList();

    /// <summary>
    /// A page that marks no standfirst often opens its story with one anyway: an unpunctuated
    /// summary line right under the headline. It is marked as the standfirst, as in plain text.
    /// (The meta description is not used: it is not text of the page, and it mostly repeats the lede.)
    /// </summary>
    private static List<ParagraphCandidate> MarkLedeStandfirst(List<ParagraphCandidate> kept)
    {
        if (kept.Any(p => p.Kind == ParagraphKind.Standfirst))
        {
            return kept;
        }

        var lede = kept.FindIndex(p => p.Kind == ParagraphKind.Body);
        if (lede < 0 || lede > 1 || (lede == 1 && kept[0].Kind != ParagraphKind.Headline) ||
            kept.Count(p => p.Kind == ParagraphKind.Body) < 2 || !LooksLikeStandfirst(kept[lede].Text))
        {
            return kept;
        }

        kept[lede] = kept[lede] with { Kind = ParagraphKind.Standfirst };
        return kept;
    }

    /// <summary>Reads text from <paramref name="reader"/>, as HTML when it looks like a web page.</summary>
    internal static Article ReadFrom(TextReader reader, string source)
    {
        string text;
        try
        {
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            throw new ArticleLoadException($"Cannot read article from {source}: {OneLine(e.Message)}", e);
        }

        return LooksLikeHtml(text) ? ReadHtml(text, source) : ReadText(text, source);
    }

    /// <summary>True for text that starts (after a BOM and whitespace) like an HTML document.</summary>
    internal static bool LooksLikeHtml(string text)
    {
        var start = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        return start.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase) ||
            start.StartsWith("<html", StringComparison.OrdinalIgnoreCase) ||
            start.StartsWith("<head", StringComparison.OrdinalIgnoreCase) ||
            start.StartsWith("<body", StringComparison.OrdinalIgnoreCase) ||
            start.StartsWith("<article", StringComparison.OrdinalIgnoreCase) ||
            (start.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase) && start.Contains("<html", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Plain text has no markup, so roles come from position: the first kept paragraph is the
    /// headline (unless it is long, multi-sentence story text), and the second is the standfirst
    /// when it reads like one: no sentence-final punctuation and not too long. A punctuated second
    /// line is treated as the lede, since ledes are single short sentences too. Captions keep their
    /// kind and do not count as positions; a short unpunctuated line between story paragraphs is a
    /// subhead.
    /// </summary>
    private static List<ParagraphCandidate> AssignPositionalKinds(List<ParagraphCandidate> kept)
    {
        var result = new List<ParagraphCandidate>(kept.Count);
        var headlineAt = -1;
        var position = 0;
        var storyLines = kept.Count(p => p.Kind != ParagraphKind.Caption);
        for (var i = 0; i < kept.Count; i++)
        {
            if (kept[i].Kind == ParagraphKind.Caption)
            {
                result.Add(kept[i]);
                continue;
            }

            var text = kept[i].Text;
            var kind = ParagraphKind.Body;
            if (position == 0 && storyLines > 1 && LooksLikeHeadline(text))
            {
                kind = ParagraphKind.Headline;
                headlineAt = 0;
            }
            else if (position == 1 && headlineAt == 0 && LooksLikeStandfirst(text))
            {
                kind = ParagraphKind.Standfirst;
            }
            else if (position >= 2 && LooksLikeSubhead(kept, i))
            {
                kind = ParagraphKind.Subhead;
            }

            result.Add(kept[i] with { Kind = kind });
            position++;
        }

        // A lone short line is a headline with no story under it.
        if (kept.Count == 1 && !BoilerplateFilter.EndsLikeSentence(kept[0].Text) && LooksLikeHeadline(kept[0].Text))
        {
            result[0] = result[0] with { Kind = ParagraphKind.Headline };
        }

        return result;
    }

    /// <summary>A short unpunctuated line with story sentences before and after it.</summary>
    private static bool LooksLikeSubhead(List<ParagraphCandidate> kept, int i) =>
        i + 1 < kept.Count &&
        BoilerplateFilter.WordCount(kept[i].Text) <= MaxSubheadWords &&
        !BoilerplateFilter.EndsLikeSentence(kept[i].Text) &&
        kept[i].Text.TrimEnd()[^1] is not (':' or ',' or ';') &&
        BoilerplateFilter.EndsLikeSentence(kept[i - 1].Text) &&
        BoilerplateFilter.EndsLikeSentence(kept[i + 1].Text);

    private static bool LooksLikeHeadline(string text) =>
        text.Length <= MaxHeadlineLength || SentenceSplitter.Split(text).Count == 1;

    private static bool LooksLikeStandfirst(string text) =>
        text.Length <= MaxStandfirstLength &&
        !BoilerplateFilter.EndsLikeSentence(text) &&
        BoilerplateFilter.WordCount(text) >= 3;

    /// <summary>
    /// The file's bytes, refusing to read more than <paramref name="limit"/>: a device or a special
    /// file reports no length (<c>/dev/zero</c>, <c>/proc/…</c>), so the bound is kept while reading.
    /// </summary>
    private static byte[] ReadAtMost(string path, long limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            if (bytes.Length + read > limit)
            {
                throw new ArticleLoadException($"Article file '{path}' is larger than {limit / (1024 * 1024)} MB; articles are at most {limit / (1024 * 1024)} MB.");
            }

            bytes.Write(buffer, 0, read);
        }

        return bytes.ToArray();
    }

    private static Article Build(List<ParagraphCandidate> kept, string source)
    {
        ArticleLimits.ThrowIfTooLarge(kept.Select(p => p.Text).ToArray(), source);
        if (!kept.Any(p => p.Kind == ParagraphKind.Body))
        {
            throw new ArticleLoadException(kept.Count == 0
                ? $"Article '{source}' has no story paragraphs left after removing publisher boilerplate."
                : $"Article '{source}' has a headline but no story paragraphs.");
        }

        var paragraphs = new Paragraph[kept.Count];
        for (var i = 0; i < kept.Count; i++)
        {
            paragraphs[i] = new Paragraph
            {
                Number = i + 1,
                Text = kept[i].Text,
                Kind = kept[i].Kind ?? ParagraphKind.Body,
                Sentences = SentenceSplitter.Split(kept[i].Text),
            };
        }

        return new Article { Source = source, Paragraphs = paragraphs };
    }

    private static void ThrowIfBinary(string text, string source)
    {
        if (TextSniffer.LooksBinary(text))
        {
            throw new ArticleLoadException($"Article '{source}' is not text (it looks like a binary file); give a plain-text or HTML article.");
        }
    }

    private static void ThrowIfEmpty(string text, string source)
    {
        if (TextCleaner.IsBlank(text))
        {
            throw new ArticleLoadException($"Article '{source}' is empty.");
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
