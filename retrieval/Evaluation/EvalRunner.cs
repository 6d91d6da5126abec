using System.IO.Compression;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// Runs an <see cref="EvalSet"/>: indexes each article it names once, asks every question,
/// scores the replies and adds them up into an <see cref="EvalReport"/>.
/// </summary>
public sealed class EvalRunner
{
    private readonly Func<Article, IAnswerService> _answererFor;
    private readonly Func<string, Article> _readArticleFile;
    private readonly ILogger _logger;

    /// <summary>Creates a runner that builds one answerer per article with <paramref name="answererFor"/>.</summary>
    /// <param name="answererFor">Indexes an article; called once per article the set names.</param>
    /// <param name="readArticleFile">Reads a named article's file; <see cref="ArticleReader.ReadFile"/> when null.</param>
    /// <param name="logger">Receives one line per article evaluated.</param>
    public EvalRunner(Func<Article, IAnswerService> answererFor, Func<string, Article>? readArticleFile = null, ILogger<EvalRunner>? logger = null)
    {
        _answererFor = answererFor;
        _readArticleFile = readArticleFile ?? ArticleReader.ReadFile;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Creates a runner that indexes articles with <paramref name="factory"/>.</summary>
    public EvalRunner(ArticleAnswererFactory factory, ILogger<EvalRunner>? logger = null)
        : this(article => factory.Create(article), null, logger)
    {
    }

    /// <summary>
    /// Asks every question of <paramref name="set"/>; cases naming <see cref="EvalSet.DefaultArticle"/>
    /// are asked about <paramref name="defaultArticle"/>.
    /// </summary>
    /// <exception cref="ArticleLoadException">A named article's file is missing or unreadable.</exception>
    public async Task<EvalReport> RunAsync(EvalSet set, Article defaultArticle, CancellationToken cancellationToken = default)
    {
        var results = new EvalCaseResult?[set.Cases.Count];
        var byArticle = set.Cases
            .Select((c, index) => (Case: c, Index: index))
            .GroupBy(x => x.Case.Article, StringComparer.Ordinal);
        foreach (var group in byArticle)
        {
            var article = ReadArticle(set, group.Key, defaultArticle);
            var answerer = _answererFor(article);
            foreach (var (evalCase, index) in group)
            {
                // One question at a time, as a reader asks: the latencies are then the ones a reader waits.
                var answer = await answerer.AskAsync(evalCase.Question, cancellationToken).ConfigureAwait(false);
                results[index] = EvalScorer.Score(evalCase, answer, article);
            }

            _logger.LogInformation("Evaluated {Count} questions about {Article} ({Source})", group.Count(), group.Key, article.Source);
        }

        return EvalReport.From(results.Select(r => r!).ToArray());
    }

    /// <summary>The article a case names: the default one, a file under <c>articles/</c>, or a benchmark page.</summary>
    /// <exception cref="ArticleLoadException">The article's file is missing or unreadable.</exception>
    public Article ReadArticle(EvalSet set, string name, Article defaultArticle) => ReadArticle(set, name, defaultArticle, _readArticleFile);

    /// <summary>The article a case names, reading files with <paramref name="readArticleFile"/>.</summary>
    /// <exception cref="ArticleLoadException">The article's file is missing or unreadable.</exception>
    public static Article ReadArticle(EvalSet set, string name, Article defaultArticle, Func<string, Article> readArticleFile)
    {
        if (name == EvalSet.DefaultArticle)
        {
            return defaultArticle;
        }

        var path = set.FindArticleFile(name)
            ?? throw new ArticleLoadException(
                $"{set.Source}: article \"{name}\" not found (looked for {Path.Combine(set.BaseDirectory, "articles", name)}.txt, .html and .htm, and in pages.json)");
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return readArticleFile(path);
        }

        return ReadSavedPage(path, name);
    }

    /// <summary>Reads a saved benchmark page, gzipped as the shared benchmark ships it (<c>html/ID.html.gz</c>).</summary>
    public static Article ReadSavedPage(string path, string name)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return ArticleReader.ReadHtml(reader.ReadToEnd(), name);
    }
}
