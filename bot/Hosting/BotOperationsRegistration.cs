using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CaravanBot.Bot.Hosting;

/// <summary>Registers health, readiness and metrics for <c>run</c> and <c>serve</c>.</summary>
public static class BotOperationsRegistration
{
    /// <summary>
    /// Adds OpenTelemetry metrics over the protocol's and the features' meters (<see cref="DiscordTelemetry.MeterName"/>,
    /// <see cref="FeatureTelemetry.MeterName"/>) with the Prometheus exporter, <see cref="BotReadiness"/>, and the
    /// <see cref="OperationsEndpoint"/> configured from the <c>Operations</c> section.
    /// </summary>
    public static IServiceCollection AddBotOperations(this IServiceCollection services)
    {
        services.AddOptions<OperationsOptions>().BindConfiguration(OperationsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperationsOptions>, OperationsOptionsValidator>());
        services.TryAddSingleton<BotReadiness>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("caravanbot"))
            .WithMetrics(metrics => metrics
            .AddMeter(DiscordTelemetry.MeterName, FeatureTelemetry.MeterName)
            .AddPrometheusExporter());
        services.TryAddSingleton<OperationsEndpoint>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<OperationsEndpoint>());
        return services;
    }
}
