using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Resolves <c>--article</c>: a path, <c>-</c> for standard input, or the default article. Missing
/// and empty files are caught here with a message naming the path; the reader handles the rest.
/// </summary>
internal sealed class ArticleLoader
{
    /// <summary>Most characters read from standard input as an article: a large saved page, never an endless stream.</summary>
    public const int MaxStandardInputCharacters = 16 * 1024 * 1024;

    private readonly IArticleReader _reader;
    private readonly CliEnvironment _environment;

    public ArticleLoader(IArticleReader reader, CliEnvironment environment)
    {
        _reader = reader;
        _environment = environment;
    }

    /// <exception cref="ArticleLoadException">The article is missing, unreadable or empty.</exception>
    public Article Load(string? path)
    {
        if (path == "-")
        {
            return LoadStandardInput();
        }

        var file = path ?? _environment.DefaultArticlePath;
        if (Directory.Exists(file))
        {
            throw new ArticleLoadException($"article {file} is a folder, not a file");
        }

        if (!File.Exists(file))
        {
            throw new ArticleLoadException(path is null
                ? $"the default article is missing: {file} (pass --article PATH)"
                : $"article not found: {file}");
        }

        try
        {
            // A length of 0 proves nothing for a /proc file (it has content) nor a FIFO or a device (no
            // length at all): only a regular file that also reads as nothing is empty. A FIFO is not
            // probed, since a probe would eat what is written to it; the reader finds out.
            if (LocalFile.KindOf(file) == LocalFileKind.Regular && new FileInfo(file).Length == 0 && ReadsNothing(file))
            {
                throw new ArticleLoadException($"article {file} is empty");
            }

            return _reader.ReadFile(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArticleLoadException($"cannot read article {file}: {ex.Message}", ex);
        }
    }

    private Article LoadStandardInput()
    {
        var text = ReadAtMost(_environment.In, MaxStandardInputCharacters).TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArticleLoadException("the article on standard input is empty");
        }

        // Files are told apart by extension; a pipe has none, and plain-text stories do not open with a tag.
        return text.AsSpan().TrimStart().StartsWith("<")
            ? _reader.ReadHtml(text, "stdin")
            : _reader.ReadText(text, "stdin");
    }

    private static string ReadAtMost(TextReader reader, int limit)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[81920];
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            if (text.Length + read > limit)
            {
                throw new ArticleLoadException($"the article on standard input is longer than {limit / (1024 * 1024)} M characters; articles are far shorter");
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static bool ReadsNothing(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        return stream.ReadByte() < 0;
    }
}
