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
    /// Adds the prompt provider, the two embedding models (loaded once, on first use) and the
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
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return EmbeddingModels.LoadInParallel(
                () => new MiniLmEmbedder(o.ModelCacheDirectory, o.EmbeddingThreads, sp.GetService<ILogger<MiniLmEmbedder>>()),
                () => new ArcticXsEmbedder(o.ModelCacheDirectory, o.EmbeddingThreads, sp.GetService<ILogger<ArcticXsEmbedder>>()));
        });
        // The symmetric model on its own, for comparing two questions (moderators' corrections).
        services.AddSingleton(sp => sp.GetRequiredService<EmbeddingModels>().General);
        services.AddSingleton(sp => new ArticleAnswererFactory(
            sp.GetRequiredService<EmbeddingModels>(),
            sp.GetRequiredService<IOptions<RetrievalOptions>>().Value,
            sp.GetRequiredService<PromptProvider>()));

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
