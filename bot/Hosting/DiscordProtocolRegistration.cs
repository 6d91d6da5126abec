using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// Registers the Discord protocol layer: the gateway client and the REST client. Kept apart from
/// <see cref="CaravanBotServiceCollectionExtensions.AddCaravanBot"/> so the features never depend on
/// how the protocol is built.
/// </summary>
internal static class DiscordProtocolRegistration
{
    /// <summary>Adds <c>IGatewayClient</c> and <c>IDiscordRestClient</c>.</summary>
    public static IServiceCollection AddDiscordProtocol(this IServiceCollection services)
    {
        // TODO(merge): register the two protocol clients here; nothing else in the bot needs to change.
        //   DiscordRestClient (ctor: HttpClient, IOptions<DiscordOptions>, ILogger<DiscordRestClient>, TimeProvider, DiscordRestOptions)
        //     as the one IDiscordRestClient of the process: the feature handlers are singletons and the
        //     rate-limit buckets must be shared, so a transient typed client (plain AddHttpClient<I, T>) would
        //     give each handler its own buckets. E.g. services.AddHttpClient(nameof(DiscordRestClient)) plus
        //     services.AddSingleton<IDiscordRestClient>(sp => new DiscordRestClient(
        //         sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(DiscordRestClient)), ...)).
        //   GatewayClient (ctor: IOptions<DiscordOptions>, IDiscordRestClient, ILogger<GatewayClient>, TimeProvider, GatewayClientOptions)
        //     as services.AddSingleton<IGatewayClient, GatewayClient>(), with GatewayClientOptions and
        //     DiscordRestOptions registered as singletons (or bound from configuration).
        // Until then nothing is registered: `caravanbot run` stops at start with "unable to resolve IGatewayClient"
        // (after the token check), and the tests register in-memory fakes after AddCaravanBot().
        return services;
    }
}
