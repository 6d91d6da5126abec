using System.Diagnostics;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Llm;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Ingestion;
using CaravanBot.Retrieval.Llm;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>Where the bot's article comes from: read and indexed once, before the gateway connects.</summary>
public interface IBotArticleSource
{
    /// <summary>Reads and indexes the article.</summary>
    /// <exception cref="ArticleLoadException">The article is missing, unreadable or has no story text.</exception>
    Task<BotArticle> LoadAsync(CancellationToken cancellationToken);
}

/// <summary>Which article the bot serves.</summary>
public sealed class BotArticleOptions
{
    /// <summary>A plain-text or .html article file.</summary>
    public string ArticlePath { get; set; } = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");
}

/// <summary>
/// Reads <see cref="BotArticleOptions.ArticlePath"/> with the retrieval library's reader and indexes it
/// with the extractive engine (loading the embedding model on first use). When the optional
/// language-model mode is configured (<see cref="LlmOptions"/>), answers go through it, with the
/// extractive engine as its retrieval and its fallback.
/// </summary>
public sealed partial class FileBotArticleSource : IBotArticleSource
{
    private readonly BotArticleOptions _options;
    private readonly ArticleAnswererFactory _factory;
    private readonly ILogger<FileBotArticleSource> _logger;
    private readonly LlmAnswererFactory? _llm;

    /// <summary>Creates the source; without <paramref name="llm"/> (or with it off) answers are extractive.</summary>
    public FileBotArticleSource(IOptions<BotArticleOptions> options, ArticleAnswererFactory factory, ILogger<FileBotArticleSource> logger, LlmAnswererFactory? llm = null)
    {
        _options = options.Value;
        _factory = factory;
        _logger = logger;
        _llm = llm;
    }

    /// <inheritdoc />
    public Task<BotArticle> LoadAsync(CancellationToken cancellationToken) =>
        // Reading, loading the model and embedding every sentence is seconds of CPU: off the host's start-up thread.
        Task.Run(
            () =>
            {
                var started = Stopwatch.GetTimestamp();
                var article = ArticleReader.ReadFile(_options.ArticlePath);
                var answerer = _factory.Create(article, cancellationToken);
                LogIndexed(article.Paragraphs.Count, article.Source, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (_llm is not { IsEnabled: true } llm)
                {
                    return new BotArticle(article, answerer, AnswerMode.Extractive);
                }

                LogLlmMode(llm.Options.Provider.ToString(), llm.Options.Model, llm.Options.TimeoutSeconds);
                return new BotArticle(article, new DeferringLlmAnswers(llm.Create(answerer)), AnswerMode.Llm);
            },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed {Paragraphs} paragraphs of {Source} in {ElapsedMs:F0} ms")]
    private partial void LogIndexed(int paragraphs, string source, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answering with the language model {Provider} {Model} (quotes verified, extractive fallback after {TimeoutSeconds} s)")]
    private partial void LogLlmMode(string provider, string? model, double timeoutSeconds);
}
