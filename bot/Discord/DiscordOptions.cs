using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Discord;

/// <summary>
/// Configuration section <c>Discord</c> (environment <c>Discord__Token</c> etc.; <c>DISCORD_TOKEN</c>
/// is also accepted for the token). Validated at start-up by <see cref="DiscordOptionsValidator"/>.
/// </summary>
public sealed class DiscordOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Discord";

    /// <summary>The bot token. Opaque: never logged, never split, never assumed to have three parts.</summary>
    public string? Token { get; set; }

    /// <summary>REST base address, API v10.</summary>
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";

    /// <summary>Gateway address; when empty it comes from <c>GET /gateway/bot</c>.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>When set, application commands are registered in this guild only (instant updates).</summary>
    public ulong? GuildId { get; set; }

    /// <summary>The <c>User-Agent</c> sent on REST and on the WebSocket upgrade.</summary>
    public string UserAgent { get; set; } = "DiscordBot (https://github.com/caravanbot/caravanbot, 1.0)";

    /// <summary>Overrides every token-redacting <see cref="object.ToString"/>.</summary>
    public override string ToString() =>
        $"Discord {{ ApiBaseUrl = {ApiBaseUrl}, GatewayUrl = {GatewayUrl ?? "(from /gateway/bot)"}, GuildId = {GuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(global)"}, Token = {(string.IsNullOrEmpty(Token) ? "(missing)" : "(set)")} }}";
}

/// <summary>Start-up validation of <see cref="DiscordOptions"/>, with messages a bot operator can act on.</summary>
public sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            failures.Add("Discord:Token is missing: set the environment variable DISCORD_TOKEN (or Discord__Token) to the bot token from the developer portal.");
        }
        else if (options.Token.Any(char.IsWhiteSpace))
        {
            failures.Add("Discord:Token contains whitespace: copy the token again without spaces or line breaks.");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Discord:ApiBaseUrl \"{options.ApiBaseUrl}\" is not an http(s) address.");
        }

        if (!string.IsNullOrWhiteSpace(options.GatewayUrl)
            && (!Uri.TryCreate(options.GatewayUrl, UriKind.Absolute, out var gateway) || (gateway.Scheme != "wss" && gateway.Scheme != "ws")))
        {
            failures.Add($"Discord:GatewayUrl \"{options.GatewayUrl}\" is not a ws(s) address.");
        }

        if (options.GuildId == 0)
        {
            failures.Add("Discord:GuildId must be a guild's id (a snowflake), or left unset for global commands.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
