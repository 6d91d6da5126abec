using System.Globalization;
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

    /// <summary>
    /// Gateway address; when empty it comes from <c>GET /gateway/bot</c> (which is asked before every IDENTIFY
    /// either way, for the session-start budget).
    /// </summary>
    public string? GatewayUrl { get; set; }

    /// <summary>
    /// Where Discord's web app lives, for links to messages (<c>{WebBaseUrl}/channels/{guild}/{channel}/{message}</c>);
    /// when empty, the scheme and host of <see cref="ApiBaseUrl"/> (<c>https://discord.com</c> by default, so a
    /// canary or staging API gets links to its own web app).
    /// </summary>
    public string? WebBaseUrl { get; set; }

    /// <summary>The web base in use: <see cref="WebBaseUrl"/>, else the origin of <see cref="ApiBaseUrl"/>, without a trailing slash.</summary>
    public string WebBase =>
        !string.IsNullOrWhiteSpace(WebBaseUrl) ? WebBaseUrl.TrimEnd('/')
        : Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var api) ? api.GetLeftPart(UriPartial.Authority)
        : "https://discord.com";

    /// <summary>When set, application commands are registered in this guild only (instant updates).</summary>
    public ulong? GuildId { get; set; }

    /// <summary>
    /// How many gateway shards the bot runs in all, across every process: a number (1, unsharded, by default), or
    /// <c>auto</c> for the count <c>GET /gateway/bot</c> recommends. Discord requires shards from 2,500 guilds.
    /// </summary>
    public string? ShardCount { get; set; }

    /// <summary>
    /// The shards this process runs, as numbers and ranges (<c>0-3</c>, <c>0,2,5-7</c>); every shard when empty. Needs a
    /// fixed <see cref="ShardCount"/>.
    /// </summary>
    public string? ShardIds { get; set; }

    /// <summary>
    /// A folder shared by every process running this bot's shards (on one machine, or a file system with working
    /// locks), where they take turns to IDENTIFY: one lock file per <c>max_concurrency</c> bucket. Empty: IDENTIFYs are
    /// spaced within this process only.
    /// </summary>
    public string? IdentifyLockDirectory { get; set; }

    /// <summary>
    /// The application's public key from the developer portal (64 hex digits), which signs the requests Discord sends
    /// to the HTTP interactions endpoint (<c>caravanbot serve</c>). Not a secret.
    /// </summary>
    public string? PublicKey { get; set; }

    /// <summary>The <c>User-Agent</c> sent on REST and on the WebSocket upgrade.</summary>
    public string UserAgent { get; set; } = "DiscordBot (https://github.com/caravanbot/caravanbot, 1.0)";

    /// <summary>Overrides every token-redacting <see cref="object.ToString"/>.</summary>
    public override string ToString() =>
        $"Discord {{ ApiBaseUrl = {ApiBaseUrl}, GatewayUrl = {GatewayUrl ?? "(from /gateway/bot)"}, GuildId = {GuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(global)"}, ShardCount = {ShardCount ?? "1"}, ShardIds = {ShardIds ?? "(all)"}, Token = {(string.IsNullOrEmpty(Token) ? "(missing)" : "(set)")} }}";
}

/// <summary>Start-up validation of <see cref="DiscordOptions"/>, with messages a bot operator can act on (never the token itself).</summary>
public sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    /// <summary>Longest token accepted; Discord's bot tokens are about 70 characters, and an IDENTIFY must fit in 4096 bytes.</summary>
    public const int MaxTokenLength = 512;

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
        else if (options.Token.Length > MaxTokenLength)
        {
            // It would not fit an IDENTIFY (4096 bytes), and no bot token is anywhere near this long.
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Discord:Token is {options.Token.Length} characters long, more than {MaxTokenLength}: a bot token is about 70. Copy the token again from the developer portal (Bot → Reset Token)."));
        }
        else if (options.Token.IndexOfAnyExceptInRange('!', '~') is var position and >= 0)
        {
            // An HTTP header carries only visible ASCII: such a token would fail every request, forever.
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"Discord:Token has a character that is not visible ASCII at position {position + 1} (a control character, or a letter from outside ASCII): copy the token again from the developer portal."));
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

        if (!string.IsNullOrWhiteSpace(options.WebBaseUrl)
            && (!Uri.TryCreate(options.WebBaseUrl, UriKind.Absolute, out var web) || (web.Scheme != Uri.UriSchemeHttps && web.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add($"Discord:WebBaseUrl \"{options.WebBaseUrl}\" is not an http(s) address.");
        }

        try
        {
            _ = Gateway.ShardPlan.Parse(options.ShardCount, options.ShardIds);
        }
        catch (FormatException ex)
        {
            failures.Add(ex.Message);
        }

        if (!string.IsNullOrWhiteSpace(options.PublicKey) && !Interactions.InteractionSignature.IsPublicKey(options.PublicKey))
        {
            failures.Add("Discord:PublicKey must be the application's public key from the developer portal: 64 hexadecimal digits.");
        }

        if (options.GuildId == 0)
        {
            failures.Add("Discord:GuildId must be a guild's id (a snowflake), or left unset for global commands.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
