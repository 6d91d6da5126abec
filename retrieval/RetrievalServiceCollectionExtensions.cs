using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Llm;
using CaravanBot.Retrieval.Prompts;
using CaravanBot.Retrieval.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Retrieval;

/// <summary>Registers the retrieval layer in a service collection.</summary>
public static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// Adds the prompt provider, the embedding model (loaded once, on first use) and the
    /// answerer factory. Options come from the <c>Retrieval</c> section when bound by the host.
    /// </summary>
    public static IServiceCollection AddCaravanRetrieval(this IServiceCollection services, Action<RetrievalOptions>? configure = null)
    {
        var options = services.AddOptions<RetrievalOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<PromptProvider>();
        // all-MiniLM-L6-v2: retrieval's model by default, and always the one that compares two
        // questions (moderators' corrections are matched with it).
        services.AddSingleton<ISentenceEmbedder>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return new MiniLmEmbedder(o.ModelCacheDirectory, o.EmbeddingThreads, sp.GetService<ILogger<MiniLmEmbedder>>());
        });
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            var embedder = o.EmbeddingModel == EmbeddingModelKind.ArcticXs
                ? new ArcticXsEmbedder(o.ModelCacheDirectory, o.EmbeddingThreads, sp.GetService<ILogger<ArcticXsEmbedder>>())
                : sp.GetRequiredService<ISentenceEmbedder>();
            return new ArticleAnswererFactory(
            embedder,
            o,
            sp.GetRequiredService<PromptProvider>());
        });

        // The optional language-model mode: off (Provider None) unless the host binds the Llm section.
        services.AddOptions<LlmOptions>();
        services.AddSingleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>();
        services.AddSingleton(sp => new LlmAnswererFactory(
            sp.GetRequiredService<IOptions<LlmOptions>>(),
            sp.GetRequiredService<PromptProvider>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }
}
