using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using CaravanBot.Bot.Discord.Gateway;

namespace CaravanBot.Bot.Discord;

/// <summary>
/// The protocol client's metrics, on the meter <see cref="MeterName"/> (<c>System.Diagnostics.Metrics</c>: an
/// exporter such as OpenTelemetry's listens to it by name; without one they cost next to nothing). Names follow
/// OpenTelemetry's conventions; an exporter for Prometheus writes <c>caravanbot_gateway_reconnects_total</c> and so on.
/// </summary>
public static class DiscordTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CaravanBot.Discord";

    private static readonly Meter Meter = new(MeterName);

    private static readonly ConcurrentDictionary<GatewayClient, byte> LiveShards = new();

    private static readonly Counter<long> Reconnects = Meter.CreateCounter<long>(
        "caravanbot.gateway.reconnects", unit: "{connection}", description: "Gateway connections opened after a shard's first one (resumes and new sessions), by shard.");

    private static readonly Counter<long> RestResponses = Meter.CreateCounter<long>(
        "caravanbot.discord.rest.responses", unit: "{response}", description: "Responses from Discord's REST API, by HTTP status and route template.");

    private static readonly Histogram<double> BucketWaits = Meter.CreateHistogram<double>(
        "caravanbot.discord.rest.bucket_wait", unit: "s", description: "Time requests waited for their rate-limit bucket before being sent, by route template.");

    static DiscordTelemetry()
    {
        Meter.CreateObservableGauge(
            "caravanbot.gateway.state",
            ObserveStates,
            unit: "{shard}",
            description: "1 for each running shard's current gateway state (connected, identifying, resuming, reconnecting, …), 0 for the others.");
    }

    internal static void ShardStarted(GatewayClient client) => LiveShards[client] = 0;

    internal static void ShardStopped(GatewayClient client) => LiveShards.TryRemove(client, out _);

    internal static void Reconnected(GatewayShard shard) => Reconnects.Add(1, new KeyValuePair<string, object?>("shard", ShardLabel(shard)));

    internal static void RestResponse(int status, string route) =>
        RestResponses.Add(1, new("status", status.ToString(CultureInfo.InvariantCulture)), new("route", route));

    internal static void BucketWait(TimeSpan wait, string route) =>
        BucketWaits.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("route", route));

    private static IEnumerable<Measurement<int>> ObserveStates()
    {
        foreach (var client in LiveShards.Keys)
        {
            var current = client.State;
            var shard = ShardLabel(client.Shard);
            foreach (var state in Enum.GetValues<GatewayState>())
            {
                yield return new Measurement<int>(state == current ? 1 : 0, new("shard", shard), new("state", state.ToString().ToLowerInvariant()));
            }
        }
    }

    private static string ShardLabel(GatewayShard shard) => shard.Id.ToString(CultureInfo.InvariantCulture);
}
