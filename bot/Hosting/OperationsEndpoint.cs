using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// The health and metrics port (<see cref="OperationsOptions"/>): a Kestrel of its own, apart from anything the bot
/// serves to Discord, answering <c>/healthz</c> (200 while the process runs), <c>/readyz</c> (200 when
/// <see cref="BotReadiness"/> says every part is ready, else 503, with a line per part) and <c>/metrics</c>
/// (OpenTelemetry's Prometheus exporter over the host's meter provider).
/// </summary>
public sealed partial class OperationsEndpoint : IHostedService, IAsyncDisposable
{
    private readonly OperationsOptions _options;
    private readonly BotReadiness _readiness;
    private readonly IServiceProvider _services;
    private readonly ILogger<OperationsEndpoint> _logger;
    private WebApplication? _app;

    /// <summary>Creates the endpoint; it listens from <see cref="StartAsync"/>.</summary>
    public OperationsEndpoint(IOptions<OperationsOptions> options, BotReadiness readiness, IServiceProvider services, ILogger<OperationsEndpoint> logger)
    {
        _options = options.Value;
        _readiness = readiness;
        _services = services;
        _logger = logger;
    }

    /// <summary>The addresses it listens on (port 0 resolved), once started.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled();
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "caravanbot-operations" });
        builder.Logging.ClearProviders();

        // Its own addresses, whatever ASPNETCORE_URLS says for the interactions endpoint.
        builder.WebHost.UseUrls(_options.Urls);
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", ReadyAsync);
        if (_services.GetService<MeterProvider>() is { } meters)
        {
            app.MapPrometheusScrapingEndpoint("/metrics", meters, configureBranchedPipeline: null, optionsName: null);
        }

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException(
                $"Operations:Urls {_options.Urls}: cannot listen ({ex.Message}). Give each process its own port (Operations__Urls=http://127.0.0.1:PORT) or set Operations__Enabled=false.", ex);
        }

        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
        LogListening(string.Join(", ", Addresses));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<IResult> ReadyAsync(CancellationToken cancellationToken)
    {
        var checks = await _readiness.CheckAsync(cancellationToken).ConfigureAwait(false);
        var ready = checks.All(c => c.Ready);
        var text = new StringBuilder(ready ? "ready\n" : "not ready\n");
        foreach (var check in checks)
        {
            text.Append(check.Name).Append(": ").Append(check.Detail).Append('\n');
        }

        return Results.Text(text.ToString(), "text/plain; charset=utf-8", Encoding.UTF8, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics on {Addresses} (/healthz, /readyz, /metrics)")]
    private partial void LogListening(string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Health and metrics port off (Operations:Enabled=false)")]
    private partial void LogDisabled();
}
