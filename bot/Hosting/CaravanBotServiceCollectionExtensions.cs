using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Moderation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Hosting;

/// <summary>Registers the Discord bot in a host.</summary>
public static class CaravanBotServiceCollectionExtensions
{
    /// <summary>
    /// Adds the bot: options from the <c>Discord</c> and <c>Moderation</c> sections (validated at
    /// start-up), the protocol clients, the reader-facing features, moderation and
    /// <see cref="DiscordBotService"/>. Needs <c>AddCaravanRetrieval()</c> for the prompt provider, the
    /// answering engine and the sentence embedder. Answers are logged, mirrored and open to votes only
    /// when an <see cref="AnswerLog.IAnswerLog"/> is registered as well.
    /// </summary>
    public static IServiceCollection AddCaravanBot(this IServiceCollection services, Action<BotArticleOptions>? configureArticle = null)
    {
        services.AddCaravanBotCore(configureArticle);
        services.AddHostedService<DiscordBotService>();
        return services;
    }

    /// <summary>
    /// Adds the bot for <c>caravanbot serve</c>: everything <see cref="AddCaravanBot"/> adds but the gateway's
    /// <see cref="DiscordBotService"/>, with <see cref="HttpInteractionService"/> and the <see cref="InteractionsEndpoint"/>
    /// (limits from the <c>Interactions</c> section) instead. Map the endpoint with <see cref="MapInteractions"/>.
    /// </summary>
    public static IServiceCollection AddCaravanBotInteractions(this IServiceCollection services, Action<BotArticleOptions>? configureArticle = null)
    {
        services.AddCaravanBotCore(configureArticle);
        services.AddOptions<InteractionsEndpointOptions>().BindConfiguration(InteractionsEndpointOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InteractionsEndpointOptions>, InteractionsEndpointOptionsValidator>());
        services.TryAddSingleton<HttpInteractionService>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<HttpInteractionService>());
        services.TryAddSingleton<InteractionsEndpoint>();
        return services;
    }

    /// <summary>Maps <c>POST /interactions</c> to the <see cref="InteractionsEndpoint"/>.</summary>
    public static WebApplication MapInteractions(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoint = app.Services.GetRequiredService<InteractionsEndpoint>();
        app.MapPost("/interactions", (RequestDelegate)endpoint.HandleAsync);
        return app;
    }

    private static IServiceCollection AddCaravanBotCore(this IServiceCollection services, Action<BotArticleOptions>? configureArticle)
    {
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.AddOptions<DiscordFeatureOptions>().BindConfiguration(DiscordFeatureOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordFeatureOptions>, DiscordFeatureOptionsValidator>());
        services.AddOptions<ModerationOptions>().BindConfiguration(ModerationOptions.SectionName).ValidateOnStart();
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
        services.AddBotOperations();
        return services;
    }

    /// <summary>The reader-facing features and moderation alone (tests compose them with fake protocol clients).</summary>
    internal static IServiceCollection AddCaravanBotFeatures(this IServiceCollection services)
    {
        services.AddCaravanBotModeration();
        services.TryAddSingleton<ReplyWording>();
        services.TryAddSingleton<AnswerMessageBuilder>();
        services.TryAddSingleton<QuestionRateLimiter>();
        services.TryAddSingleton<AnswerDeferral>();
        services.TryAddSingleton<AnswerScheduler>();
        services.TryAddSingleton<DirectChannels>();
        services.TryAddSingleton<HeldReplies>();
        services.TryAddSingleton<AskCommands>();
        services.TryAddSingleton<SourceCommands>();
        services.TryAddSingleton<AboutCommand>();
        services.TryAddSingleton<InteractionRouter>();
        services.TryAddSingleton<MentionHandler>();
        services.TryAddSingleton<CommandRegistrar>();
        return services;
    }

    /// <summary>
    /// Moderation: review cards, <c>/review</c>, corrections and readers' votes. The
    /// <see cref="AnswerLog.IAnswerLog"/> and the sentence embedder are taken when registered and
    /// optional otherwise (the services say so through <c>IsEnabled</c>), so this never decides which
    /// store the log uses.
    /// </summary>
    internal static IServiceCollection AddCaravanBotModeration(this IServiceCollection services)
    {
        services.AddOptions<ModerationOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModerationOptions>, ModerationOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModerationWording>();
        services.TryAddSingleton<ModeratorCheck>();
        services.TryAddSingleton<ReviewCardBuilder>();
        services.TryAddSingleton<CorrectionMatcher>();
        services.TryAddSingleton<ModeratedAnswerService>();
        services.TryAddSingleton<ReviewService>();
        services.TryAddSingleton<FeedbackService>();
        services.TryAddSingleton<AnswerRecorder>();
        services.TryAddSingleton<ReviewInteractions>();
        services.TryAddSingleton<FeedbackInteractions>();
        services.TryAddSingleton<AnswerLogFollower>();
        return services;
    }
}
