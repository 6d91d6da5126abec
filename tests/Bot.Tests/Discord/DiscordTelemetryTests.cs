using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.FakeDiscord;

namespace CaravanBot.Bot.Tests.Discord;

/// <summary>The REST client's metrics, read with a <see cref="MeterListener"/> as an exporter reads them.</summary>
public sealed class DiscordTelemetryTests : IAsyncLifetime, IDisposable
{
    private static readonly Snowflake Channel = 1_200_000_000_000_000_071;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private FakeRestServer _server = null!;

    public async Task InitializeAsync()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DiscordTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        _server = await FakeRestServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Responses_are_counted_by_status_and_route_and_a_bucket_wait_is_measured()
    {
        _server.On("POST", "/channels/{channel_id}/messages").Respond(FakeResponse.Default.WithRateLimit(limit: 1, remaining: 0, resetAfter: 0.4));
        var client = _server.CreateClient();

        await client.CreateMessageAsync(Channel, new MessageCreateRequest { Content = "one", AllowedMentions = AllowedMentions.None });
        await client.CreateMessageAsync(Channel, new MessageCreateRequest { Content = "two", AllowedMentions = AllowedMentions.None });

        const string Route = "POST channels/{channel_id}/messages";
        Assert.True(
            _measurements.Count(m => m.Instrument == "caravanbot.discord.rest.responses" && Equals(m.Tags["route"], Route) && Equals(m.Tags["status"], "200")) >= 2,
            "two 200 responses counted on the route");
        Assert.Contains(_measurements, m => m.Instrument == "caravanbot.discord.rest.bucket_wait" && Equals(m.Tags["route"], Route) && m.Value >= 0.35);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
