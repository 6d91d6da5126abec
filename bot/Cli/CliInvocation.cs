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
    public IArticleAnswerer OpenAnswerer(Article article)
    {
        if (!_modelAnnounced)
        {
            Progress.Report("Loading the embedding model…");
            _modelAnnounced = true;
        }

        var stopwatch = Stopwatch.StartNew();
        var answerer = Services.GetRequiredService<IAnswererProvider>().Create(article);
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
}
