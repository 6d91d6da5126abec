using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>Configuration section <c>Interactions</c>: limits of the HTTP interactions endpoint (<c>caravanbot serve</c>).</summary>
public sealed class InteractionsEndpointOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Interactions";

    /// <summary>
    /// Largest request body accepted, in bytes (larger: 413, unread). An interaction is a few kilobytes; a button's
    /// carries its whole message (at most 2,000 characters of content and 6,000 of embeds, escaped), so 128 KiB leaves
    /// ample room while bounding what an unauthenticated caller can make the endpoint read.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 128 * 1024;

    /// <summary>
    /// How far <c>X-Signature-Timestamp</c> may be from the server's clock, either way; a request signed longer ago
    /// (a replay) or claiming the future is refused with 401. Discord signs each request as it sends it.
    /// </summary>
    public TimeSpan SignatureWindow { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Start-up validation of <see cref="InteractionsEndpointOptions"/>.</summary>
public sealed class InteractionsEndpointOptionsValidator : IValidateOptions<InteractionsEndpointOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InteractionsEndpointOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Interactions:MaxBodyBytes must be from 1024 to 16777216 bytes.");
        }

        if (options.SignatureWindow < TimeSpan.FromSeconds(5) || options.SignatureWindow > TimeSpan.FromHours(1))
        {
            failures.Add("Interactions:SignatureWindow must be from 5 seconds to 1 hour.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
