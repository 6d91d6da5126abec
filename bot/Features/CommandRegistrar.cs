using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Retrieval.Articles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Registers <see cref="BotCommands"/> with one bulk overwrite: in <c>Discord:GuildId</c> when set
/// (updates show at once, for testing), otherwise globally. Overwriting rather than adding means a
/// command removed from the code disappears from Discord too.
/// </summary>
public sealed partial class CommandRegistrar
{
    private readonly IDiscordRestClient _rest;
    private readonly DiscordOptions _options;
    private readonly ILogger<CommandRegistrar> _logger;

    /// <summary>Creates the registrar.</summary>
    public CommandRegistrar(IDiscordRestClient rest, IOptions<DiscordOptions> options, ILogger<CommandRegistrar> logger)
    {
        _rest = rest;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Overwrites the application's commands; <c>/source</c>'s upper bound is the article's last paragraph.</summary>
    public async Task RegisterAsync(Snowflake applicationId, Article article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        Snowflake? guild = _options.GuildId is { } id ? new Snowflake(id) : null;
        var registered = await _rest.BulkOverwriteCommandsAsync(
            applicationId, guild, BotCommands.Definitions(article.Paragraphs.Count), cancellationToken).ConfigureAwait(false);
        LogRegistered(registered.Count, guild?.ToString() ?? "global");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} application commands ({Scope})")]
    private partial void LogRegistered(int count, string scope);
}
