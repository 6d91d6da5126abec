using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>Registers <see cref="IDiscordRestClient"/> for the host.</summary>
public static class DiscordRestServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="HttpClient"/> the REST client uses.</summary>
    public const string HttpClientName = "Discord.Rest";

    /// <summary>
    /// Registers <see cref="DiscordRestClient"/> as the singleton <see cref="IDiscordRestClient"/> (its
    /// rate-limit state must be shared by the whole process). <see cref="DiscordOptions"/> must be bound
    /// and validated by the caller. The named <see cref="HttpClient"/> has IHttpClientFactory's request
    /// logging removed, because that logging writes full URLs, and interaction URLs carry a token.
    /// The tuning is <see cref="IOptions{DiscordRestOptions}"/>: <paramref name="configure"/> and any
    /// other configuration of those options (the host binds <see cref="DiscordRestOptions.SectionName"/>) apply.
    /// <see cref="DiscordTokenStatus"/> is registered with it: the host watches it to stop when Discord rejects the token.
    /// </summary>
    public static IServiceCollection AddDiscordRestClient(this IServiceCollection services, Action<DiscordRestOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var tuning = services.AddOptions<DiscordRestOptions>();
        if (configure is not null)
        {
            tuning.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DiscordTokenStatus>();
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // The client lives as long as the process; recycling pooled connections picks up DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();

        services.TryAddSingleton<IDiscordRestClient>(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<DiscordRestOptions>>().Value,
            sp.GetRequiredService<DiscordTokenStatus>()));
        return services;
    }
}
