using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Bot.Tests.Hosting;
using CaravanBot.Retrieval;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class ModerationOptionsTests
{
    private static IHost Build(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(configuration) { ["Discord:Token"] = "t" });
        builder.Services.AddCaravanRetrieval();
        builder.Services.AddCaravanBot();
        builder.Services.AddSingleton<IGatewayClient>(new FakeGatewayClient());
        builder.Services.AddSingleton<IDiscordRestClient>(new RecordingDiscordRestClient());
        return builder.Build();
    }

    [Fact]
    public void The_defaults_are_valid_edit_on_retract_three_downvotes_and_the_calibrated_threshold()
    {
        var options = new ModerationOptions();

        Assert.True(new ModerationOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal((RetractMode.Edit, 3, 0.79, null), (options.RetractMode, options.FlagAfterDownvotes, options.CorrectionSimilarity, options.ReviewChannelId));
        Assert.Empty(options.RoleIds);
    }

    [Fact]
    public void Options_are_bound_from_the_moderation_section()
    {
        using var host = Build(new()
        {
            ["Moderation:ReviewChannelId"] = "1200000000000000777",
            ["Moderation:RoleIds:0"] = "1200000000000000888",
            ["Moderation:RoleIds:1"] = "1200000000000000999",
            ["Moderation:RetractMode"] = "Delete",
            ["Moderation:FlagAfterDownvotes"] = "5",
            ["Moderation:CorrectionSimilarity"] = "0.85",
        });

        var options = host.Services.GetRequiredService<IOptions<ModerationOptions>>().Value;

        Assert.Equal(1200000000000000777UL, options.ReviewChannelId);
        Assert.Equal([1200000000000000888UL, 1200000000000000999UL], options.RoleIds);
        Assert.Equal((RetractMode.Delete, 5, 0.85), (options.RetractMode, options.FlagAfterDownvotes, options.CorrectionSimilarity));
    }

    [Theory]
    [InlineData("Moderation:FlagAfterDownvotes", "0")]
    [InlineData("Moderation:CorrectionSimilarity", "1.5")]
    [InlineData("Moderation:CorrectionSimilarity", "0")]
    [InlineData("Moderation:ReviewChannelId", "0")]
    [InlineData("Moderation:RoleIds:0", "0")]
    [InlineData("Moderation:QueuePageSize", "50")]
    public async Task An_invalid_value_fails_at_start_naming_the_setting(string key, string value)
    {
        using var host = Build(new() { [key] = value });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(key.Replace(":0", string.Empty, StringComparison.Ordinal), Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_composes_moderation_without_an_answer_log_and_says_so()
    {
        using var host = Build([]);

        Assert.False(host.Services.GetRequiredService<ReviewService>().IsEnabled);
        Assert.False(host.Services.GetRequiredService<AnswerRecorder>().IsEnabled);
    }
}
