using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// Configuration section <c>Operations</c>: the port where <c>run</c> and <c>serve</c> answer <c>/healthz</c>,
/// <c>/readyz</c> and <c>/metrics</c> (Prometheus text). Bound to loopback by default, so nothing is exposed unless
/// an operator chooses to.
/// </summary>
public sealed class OperationsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Operations";

    /// <summary>Whether the health and metrics port is opened at all (<c>Operations__Enabled=false</c> turns it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where it listens, as ASP.NET Core URLs separated by <c>;</c>. Default <c>http://127.0.0.1:9464</c> (the port
    /// OpenTelemetry's Prometheus exporter uses by convention); port 0 takes a free port, named in the log.
    /// Processes on one machine need a port each.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:9464";
}

/// <summary>Start-up validation of <see cref="OperationsOptions"/>.</summary>
public sealed class OperationsOptionsValidator : IValidateOptions<OperationsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OperationsOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var urls = options.Urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (urls.Length == 0 || urls.Any(url => !Uri.TryCreate(url.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp))
        {
            return ValidateOptionsResult.Fail($"Operations:Urls \"{options.Urls}\" must be one or more http:// addresses separated by ';' (e.g. http://127.0.0.1:9464), or set Operations:Enabled=false.");
        }

        return ValidateOptionsResult.Success;
    }
}
