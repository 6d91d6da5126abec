using CaravanBot.Retrieval;
using CaravanBot.Retrieval.Llm;
using Microsoft.Extensions.Configuration;
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
            // A failed model call is reported once, by the answerer that falls back; Semantic Kernel would say it twice.
            logging.AddFilter("Microsoft.SemanticKernel", LogLevel.Critical);
        });
        AddRetrieval(services);
        services.AddOptions<LlmOptions>().Configure(options => BindFromEnvironment(options, LlmOptions.SectionName, environment));
        services.AddSingleton<IArticleReader, RetrievalArticleReader>();
        services.AddSingleton<IAnswererProvider, EngineAnswererProvider>();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
        ValidateSettings(provider);
        return provider;
    }

    /// <summary>
    /// Reads the settings every command shares before any work, as <c>run</c> does at start-up: a value
    /// that does not convert (<c>Llm__TimeoutSeconds=abc</c>, <c>Llm__Provider=Bogus</c>) or does not
    /// validate is a usage error (exit 2) naming the setting, whichever command it is.
    /// </summary>
    private static void ValidateSettings(ServiceProvider provider)
    {
        try
        {
            _ = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LlmOptions>>().Value;
        }
        catch (InvalidOperationException ex)
        {
            provider.Dispose();
            throw new CliUsageException(ex.Message);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            provider.Dispose();
            throw new CliUsageException(string.Join(' ', ex.Failures));
        }
    }

    /// <summary>
    /// Reads <c>Section__Property</c> environment variables (the Generic Host's convention) into
    /// <paramref name="options"/>, so <c>Llm__Provider=OpenAICompatible</c> switches the command line to
    /// language-model answers exactly as it does <c>caravanbot run</c>.
    /// </summary>
    private static void BindFromEnvironment<T>(T options, string section, CliEnvironment environment)
        where T : class
    {
        var values = typeof(T).GetProperties()
            .Select(p => (Key: $"{section}:{p.Name}", Value: environment.GetEnvironmentVariable($"{section}__{p.Name}")))
            .Where(v => v.Value is not null)
            .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value));
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(section).Bind(options);
    }

    /// <summary>The retrieval engine's services: prompts, the embedding model (loaded on first use), the answerer factory.</summary>
    private static void AddRetrieval(IServiceCollection services) => services.AddCaravanRetrieval();
}
