using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Bot.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary><c>caravanbot run</c> with an answer log registered, as the host composes it (real embedder, fake gateway and REST).</summary>
public sealed class ModeratedHostTests : IDisposable
{
    private readonly BotHostHarness _bot = new();
    private readonly InMemoryAnswerLog _log = new();

    public ModeratedHostTests()
    {
        _bot.ConfigureServices = services =>
        {
            services.AddSingleton<IAnswerLog>(_log);
            services.Configure<ModerationOptions>(o => o.ReviewChannelId = ModerationPayloads.ReviewChannelId);
        };
    }

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task The_host_loads_corrections_at_start_serves_them_records_every_answer_and_mirrors_it()
    {
        var corrected = await _log.RecordAsync(TestRecords.Answer("What does Mexico want?"));
        await _log.CorrectAsync(corrected, new Correction("Sanctions lifted and development aid.", [new LoggedCitation(2, "Mexico wants sanctions on Cuba and Venezuela lifted", 0, 51)], TestRecords.Moderator, TestRecords.At, TestRecords.Article));

        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        _bot.Gateway.Push("MESSAGE_CREATE", ModerationPayloads.Mention("What is Mexico asking the US for?", 6701));
        // Command registration (on READY) and the answer (on MESSAGE_CREATE) run concurrently: wait for both.
        var calls = await _bot.Rest.WaitForAsync(c => c.Count(call => call.Route == "/channels/7700/messages") == 1 && c.Any(call => call.Method == "PUT"));

        var reply = Assert.Single(calls, c => c.Route == "/channels/4000/messages").Body;
        Assert.StartsWith("✅ Moderator-verified answer\nSanctions lifted and development aid.", reply.Embed().Description(), StringComparison.Ordinal);
        Assert.Equal(["src:2", "fb:up:2", "fb:down:2"], reply.CustomIds());
        var served = _log.All[1];
        Assert.Equal(("correction", corrected, "mention"), (served.Answer.Mode, served.Answer.ServedCorrectionOf!.Value, served.Answer.Source));
        Assert.NotNull(served.ReplyMessageId);
        Assert.Empty(_bot.Answers.Questions);
        Assert.Contains(calls, c => c.Method == "PUT" && c.Body.EnumerateArray().Any(command => command.GetProperty("name").GetString() == "review"));

        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
        Assert.Contains("Serving 1 moderator corrections", _bot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("No answer log is registered", _bot.Stderr, StringComparison.Ordinal);
    }
}
