using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Retrieval;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Hosting;

public sealed class CaravanBotServiceCollectionTests
{
    private static IHost Build(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddCaravanRetrieval();
        builder.Services.AddCaravanBot();
        builder.Services.AddSingleton<IGatewayClient>(new FakeGatewayClient());
        builder.Services.AddSingleton<IDiscordRestClient>(new RecordingDiscordRestClient());
        return builder.Build();
    }

    [Fact]
    public async Task Starting_without_a_token_fails_validation_with_a_message_naming_DISCORD_TOKEN()
    {
        using var host = Build([]);

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DISCORD_TOKEN", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_question_limit_fails_validation_at_start()
    {
        using var host = Build(new() { ["Discord:Token"] = "t", ["Discord:QuestionsPerMinute"] = "0" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Discord:QuestionsPerMinute", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_options_are_bound_from_the_Discord_section()
    {
        using var host = Build(new()
        {
            ["Discord:Token"] = "t",
            ["Discord:GuildId"] = "3000",
            ["Discord:QuestionsPerMinute"] = "3",
            ["Discord:DeferAnswers"] = "true",
        });

        Assert.Equal(3, host.Services.GetRequiredService<QuestionRateLimiter>().QuestionsPerWindow);
        Assert.True(host.Services.GetRequiredService<IOptions<DiscordFeatureOptions>>().Value.DeferAnswers);
        Assert.Equal(3000UL, host.Services.GetRequiredService<IOptions<DiscordOptions>>().Value.GuildId);
        Assert.Single(host.Services.GetServices<IHostedService>().OfType<DiscordBotService>());
    }
}
