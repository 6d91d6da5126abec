using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Resolves <c>--article</c>: a path, <c>-</c> for standard input, or the default article. Missing
/// and empty files are caught here with a message naming the path; the reader handles the rest.
/// </summary>
internal sealed class ArticleLoader
{
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
            if (new FileInfo(file).Length == 0)
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
        var text = _environment.In.ReadToEnd().TrimStart('\uFEFF');
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArticleLoadException("the article on standard input is empty");
        }

        // Files are told apart by extension; a pipe has none, and plain-text stories do not open with a tag.
        return text.AsSpan().TrimStart().StartsWith("<")
            ? _reader.ReadHtml(text, "stdin")
            : _reader.ReadText(text, "stdin");
    }
}
