using CaravanBot.Retrieval;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// The one place the command line composes its services. No Generic Host: a command must print its
/// first answer within 2 s of process start, and the host's configuration and hosted-service
/// machinery buy nothing for a process that answers and exits. Singletons are built on first use,
/// so <c>paragraphs</c> never loads the embedding model.
/// </summary>
internal static class CliServices
{
    /// <summary>Builds the provider; <paramref name="configure"/> runs last so tests can replace the engine.</summary>
    public static ServiceProvider Build(CliEnvironment environment, bool verbose, Action<IServiceCollection>? configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(new StderrLoggerProvider(environment.Error));
            logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
        });
        AddRetrieval(services);
        services.AddSingleton<IArticleReader, RetrievalArticleReader>();
        services.AddSingleton<IAnswererProvider, EngineAnswererProvider>();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
    }

    /// <summary>The retrieval engine's services: prompts, the embedding model (loaded on first use), the answerer factory.</summary>
    private static void AddRetrieval(IServiceCollection services) => services.AddCaravanRetrieval();
}
