using System.Diagnostics;
using System.Globalization;
using CaravanBot.Retrieval.Articles;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// One run of one command: its streams, its progress line, and its services, built only when a
/// command first needs them. Commands stay thin: they read options, call this, and format.
/// </summary>
internal sealed class CliInvocation : IAsyncDisposable
{
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly bool _verbose;
    private ServiceProvider? _services;
    private bool _modelAnnounced;
    private Task? _modelLoading;

    public CliInvocation(CliEnvironment environment, bool verbose, Action<IServiceCollection>? configureServices)
    {
        Environment = environment;
        _verbose = verbose;
        _configureServices = configureServices;
        Progress = new CliProgress(environment.Error, verbose || environment.ErrorIsTerminal);
    }

    public CliEnvironment Environment { get; }

    public TextWriter Out => Environment.Out;

    public CliProgress Progress { get; }

    public IServiceProvider Services => _services ??= CliServices.Build(Environment, _verbose, _configureServices);

    /// <summary>Reads <c>--article</c> (or the default article); never loads the embedding model.</summary>
    public Article LoadArticle(string? path) =>
        new ArticleLoader(Services.GetRequiredService<IArticleReader>(), Environment).Load(path);

    /// <summary>
    /// Starts loading the embedding model on another core while the article is read: the two
    /// together are most of the time to a first answer.
    /// </summary>
    public void StartLoadingModel()
    {
        var services = Services;
        _modelLoading ??= Task.Run(() => services.GetRequiredService<IAnswererProvider>());
    }

    /// <summary>Indexes <paramref name="article"/>, loading the embedding model on first use.</summary>
    public IArticleAnswerer OpenAnswerer(Article article) => OpenAnswerer(article, CancellationToken.None);

    /// <summary>
    /// Indexes <paramref name="article"/>, loading the embedding model on first use; Ctrl+C stops it, and a
    /// long indexing shows how far it has got (every tenth of the way).
    /// </summary>
    public IArticleAnswerer OpenAnswerer(Article article, CancellationToken cancellationToken)
    {
        if (!_modelAnnounced)
        {
            Progress.Report("Loading the embedding model…");
            _modelAnnounced = true;
        }

        var stopwatch = Stopwatch.StartNew();
        var answerer = Services.GetRequiredService<IAnswererProvider>().Create(article, new IndexingReport(Progress), cancellationToken);
        Progress.Report(string.Create(
            CultureInfo.InvariantCulture,
            $"Indexed {article.Paragraphs.Count} paragraphs in {stopwatch.ElapsedMilliseconds} ms"));
        return answerer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_modelLoading is not null)
        {
            // A load still running (the article failed to read) must finish before disposal.
            await _modelLoading.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Indexing progress as lines on standard error, one per tenth, for articles long enough to wait for.</summary>
    private sealed class IndexingReport : IProgress<Retrieval.Search.IndexingProgress>
    {
        // Below this many texts indexing takes about a second: no progress lines.
        private const int Worth = 500;
        private readonly CliProgress _progress;
        private int _lastTenth;

        public IndexingReport(CliProgress progress) => _progress = progress;

        public void Report(Retrieval.Search.IndexingProgress value)
        {
            if (value.Total < Worth || value.Embedded == 0)
            {
                return;
            }

            var tenth = (int)(10L * value.Embedded / value.Total);
            if (tenth > _lastTenth)
            {
                _lastTenth = tenth;
                _progress.Report(string.Create(CultureInfo.InvariantCulture, $"Indexing the article: {tenth * 10}% ({value.Embedded:N0} of {value.Total:N0} sentences and paragraphs)"));
            }
        }
    }
}
