using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>Registers the Discord bot in a host.</summary>
public static class CaravanBotServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bot: options from the <c>Discord</c> section (validated at start-up), the protocol
    /// clients, the reader-facing features and <see cref="DiscordBotService"/>. Needs
    /// <c>AddCaravanRetrieval()</c> for the prompt provider and the answering engine.
    /// </summary>
    public static IServiceCollection AddCaravanBot(this IServiceCollection services, Action<BotArticleOptions>? configureArticle = null)
    {
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.AddOptions<DiscordFeatureOptions>().BindConfiguration(DiscordFeatureOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordFeatureOptions>, DiscordFeatureOptionsValidator>());
        var article = services.AddOptions<BotArticleOptions>();
        if (configureArticle is not null)
        {
            article.Configure(configureArticle);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddDiscordProtocol();
        services.AddCaravanBotFeatures();
        services.TryAddSingleton<IBotArticleSource, FileBotArticleSource>();
        services.TryAddSingleton<BotRunOutcome>();
        services.AddHostedService<DiscordBotService>();
        return services;
    }

    /// <summary>The reader-facing features alone (tests compose them with fake protocol clients).</summary>
    internal static IServiceCollection AddCaravanBotFeatures(this IServiceCollection services)
    {
        services.TryAddSingleton<ReplyWording>();
        services.TryAddSingleton<AnswerMessageBuilder>();
        services.TryAddSingleton<QuestionRateLimiter>();
        services.TryAddSingleton<AnswerDeferral>();
        services.TryAddSingleton<AskCommands>();
        services.TryAddSingleton<SourceCommands>();
        services.TryAddSingleton<AboutCommand>();
        services.TryAddSingleton<InteractionRouter>();
        services.TryAddSingleton<MentionHandler>();
        services.TryAddSingleton<CommandRegistrar>();
        return services;
    }
}
