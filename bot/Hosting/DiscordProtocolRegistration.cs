using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// Registers the Discord protocol layer: the gateway client and the REST client. Kept apart from
/// <see cref="CaravanBotServiceCollectionExtensions.AddCaravanBot"/> so the features never depend on
/// how the protocol is built.
/// </summary>
internal static class DiscordProtocolRegistration
{
    /// <summary>
    /// Adds <see cref="IGatewayClient"/> (the shards this process runs, <see cref="ShardedGatewayClient"/>) and
    /// <see cref="IDiscordRestClient"/> (one of each per process), tuned from
    /// the <c>Discord:Gateway</c> and <c>Discord:Rest</c> configuration sections (Discord's defaults when absent).
    /// </summary>
    public static IServiceCollection AddDiscordProtocol(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddDiscordRestClient();
        services.AddOptions<DiscordRestOptions>().BindConfiguration(DiscordRestOptions.SectionName);
        services.AddOptions<GatewayClientOptions>().BindConfiguration(GatewayClientOptions.SectionName);
        services.TryAddSingleton(provider => new IdentifyGate(
            provider.GetRequiredService<IOptions<DiscordOptions>>().Value.IdentifyLockDirectory,
            provider.GetRequiredService<TimeProvider>()));

        // One connection per shard this process owns (one in all when the bot is not sharded).
        services.TryAddSingleton<IGatewayClient, ShardedGatewayClient>();
        return services;
    }
}
