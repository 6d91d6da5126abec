using CaravanBot.Bot.AnswerLog;
using System.CommandLine;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Retrieval;
using CaravanBot.Retrieval.Llm;
using CaravanBot.Retrieval.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot run [--article PATH]</c>: the Discord bot under the Generic Host until Ctrl+C or
/// SIGTERM. Configuration: <c>appsettings.json</c> (optional), environment variables
/// (<c>Discord__Token</c>, <c>Discord__GuildId</c>, …) and <c>DISCORD_TOKEN</c> for the token.
/// Exit codes: 0 stopped on request, 1 unexpected failure, 2 configuration missing or invalid,
/// 3 article unavailable, 4 Discord refused the connection.
/// </summary>
internal static class RunCommand
{
    /// <summary>The conventional name of the token variable, read besides <c>Discord__Token</c>.</summary>
    private const string TokenVariable = "DISCORD_TOKEN";

    public static Command Create(CliEnvironment environment, Action<IServiceCollection>? configureServices, Option<bool> verbose)
    {
        var article = CliOptions.Article(standardInput: false);
        var command = new Command("run", $"Run the Discord bot: answer /ask, mentions and DMs about the article until Ctrl+C (token from {TokenVariable})")
        {
            article,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            environment,
            configureServices,
            parseResult.GetValue(article),
            parseResult.GetValue(verbose),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        CliEnvironment environment, Action<IServiceCollection>? configureServices, string? articlePath, bool verbose, CancellationToken cancellationToken)
    {
        if (articlePath == "-")
        {
            throw new CliUsageException("run reads the article from a file, not standard input (see caravanbot run --help)");
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ApplicationName = "caravanbot" });
        ConfigureHost(builder, environment, verbose);
        builder.Services.AddCaravanBot(options => options.ArticlePath = Path.GetFullPath(articlePath ?? environment.DefaultArticlePath));
        builder.Services.AddAnswerLog(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        using var host = builder.Build();
        ValidateConfiguration(host.Services);
        var outcome = host.Services.GetRequiredService<BotRunOutcome>();

        // RunAsync disposes the host (and its services) when it returns.
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return ExitCode(outcome);
    }

    /// <summary>
    /// What <c>run</c> and <c>serve</c> share: the token from <c>DISCORD_TOKEN</c> when <c>Discord:Token</c> is not set,
    /// one log line per entry on standard error, and the answering engine with its settings.
    /// </summary>
    internal static void ConfigureHost(IHostApplicationBuilder builder, CliEnvironment environment, bool verbose)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Token)}"])
            && environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            builder.Configuration.AddInMemoryCollection([new($"{DiscordOptions.SectionName}:{nameof(DiscordOptions.Token)}", token)]);
        }

        // One line per entry on standard error, like every other command; HttpClient's per-request lines are noise.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new StderrLoggerProvider(environment.Error));
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddCaravanRetrieval();
        builder.Services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.SectionName);
        builder.Services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateOnStart();
    }

    /// <summary>The exit code for how the bot stopped.</summary>
    internal static int ExitCode(BotRunOutcome outcome) =>
        outcome.Reason switch
        {
            BotStopReason.Requested => ExitCodes.Success,
            BotStopReason.ArticleUnavailable => ExitCodes.InputUnavailable,
            BotStopReason.GatewayRefused or BotStopReason.TokenRejected => ExitCodes.GatewayRefused,
            _ => ExitCodes.InternalError,
        };

    /// <summary>
    /// Reads the options before the host starts, so a missing token is one line and exit 2 rather
    /// than whatever the first service that needs it throws. The host validates them again at start.
    /// </summary>
    internal static void ValidateConfiguration(IServiceProvider services, bool serving = false)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<DiscordOptions>>().Value;
            _ = services.GetRequiredService<IOptions<DiscordFeatureOptions>>().Value;
            _ = services.GetRequiredService<IOptions<Moderation.ModerationOptions>>().Value;
            _ = services.GetRequiredService<IOptions<LlmOptions>>().Value;
            _ = services.GetRequiredService<IOptions<AnswerLogOptions>>().Value;
            _ = services.GetRequiredService<IOptions<OperationsOptions>>().Value;
            if (serving)
            {
                _ = services.GetRequiredService<IOptions<InteractionsEndpointOptions>>().Value;
                if (string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<DiscordOptions>>().Value.PublicKey))
                {
                    throw new CliUsageException(InteractionsEndpoint.MissingPublicKey);
                }
            }
        }
        catch (OptionsValidationException ex)
        {
            throw new CliUsageException(string.Join(' ', ex.Failures));
        }
        catch (InvalidOperationException ex)
        {
            // The binder's "Failed to convert configuration value at 'Discord:GuildId'…".
            throw new CliUsageException(ex.Message);
        }
    }
}
