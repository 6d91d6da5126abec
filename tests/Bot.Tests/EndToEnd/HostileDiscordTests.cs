using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Moderation;
using CaravanBot.FakeDiscord;
using CaravanBot.Retrieval.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CaravanBotCli = CaravanBot.Bot.Cli.Cli;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// The whole bot against a Discord that repeats itself, refuses, holds channels, answers unreadably or lies about
/// who the bot is: what a reader sees is one answer per question, no apology where Discord refused, a notice when
/// held replies went unanswered, and a bot that stops with exit 4 when its token is revoked.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileDiscordTests
{
    private const string Replies = "/channels/{channel_id}/messages";
    private const string Apology = "Sorry, something went wrong";

    private readonly SharedModel _model;

    public HostileDiscordTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task The_same_message_delivered_again_under_a_new_sequence_number_is_answered_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var question = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(question);

        await e2e.Gateway.DispatchAsync("MESSAGE_CREATE", question);
        var sentinel = await e2e.SettleAsync();

        await e2e.AssertEachAnsweredOnceAsync([question, sentinel]);
        Assert.Contains(e2e.Logs.Entries, e => e.Message.Contains($"MESSAGE_CREATE {EndToEndBot.Id(question)}", StringComparison.Ordinal) && e.Message.Contains("already handled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_message_delivered_again_after_a_new_identify_is_answered_once()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var question = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(question);

        await e2e.Gateway.Connections[0].SendInvalidSessionAsync(resumable: false);
        await e2e.Gateway.WaitUntilAsync(() => e2e.Gateway.CurrentSession?.Id == "fake-session-2" && e2e.Gateway.CurrentSession.Live is { IsOpen: true }, "the new session");
        await e2e.Gateway.DispatchAsync("MESSAGE_CREATE", question);
        var sentinel = await e2e.SettleAsync();

        await e2e.AssertEachAnsweredOnceAsync([question, sentinel]);
        e2e.AssertCommandsRegisteredOnce();
    }

    [Fact]
    public async Task The_same_interaction_delivered_twice_gets_one_callback_and_one_answer_log_row()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var ask = e2e.AskCommand("what does Mexico want?");

        await e2e.Gateway.DispatchAsync("INTERACTION_CREATE", ask);
        await e2e.Gateway.DispatchAsync("INTERACTION_CREATE", ask);
        var sentinel = await e2e.SettleAsync();

        var token = ask["token"]!.GetValue<string>();
        Assert.Single(e2e.Rest.Requests, r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(token, StringComparison.Ordinal));
        var stats = await e2e.Host.Services.GetRequiredService<IAnswerLog>().GetStatsAsync(0);
        Assert.Equal(2, stats.Total);
        await e2e.AssertEachAnsweredOnceAsync([sentinel]);
    }

    [Fact]
    public async Task A_vote_delivered_twice_is_counted_once_not_toggled_back_off()
    {
        await using var bot = await ModerationEndToEnd.StartAsync(_model);
        var asked = await bot.AskAsync("what does Mexico want?");
        var click = bot.E2e.Gateway.ComponentInteraction(ModerationCustomIds.FeedbackButton(1, asked.Id), bot.Reply(asked.Record), "itoken-" + Guid.NewGuid().ToString("N"), EndToEndBot.NewAuthor(), ModerationEndToEnd.ReaderPermissions);

        await bot.E2e.Gateway.DispatchAsync("INTERACTION_CREATE", click);
        await bot.E2e.Gateway.DispatchAsync("INTERACTION_CREATE", click);
        await bot.E2e.SettleAsync();

        var record = await bot.WaitForRecordAsync(asked.Id, r => r.Upvotes > 0, "the vote to be counted");
        Assert.Equal(1, record.Upvotes);
        Assert.Single(record.Feedback);
    }

    [Fact]
    public async Task A_reply_discord_created_but_answered_unreadably_is_not_followed_by_an_apology()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.On("POST", Replies).Respond(FakeResponse.Default.CutShort(60));

        var question = await e2e.MentionAsync("what does Mexico want?");
        var sentinel = await e2e.SettleAsync();

        await e2e.AssertEachAnsweredOnceAsync([question, sentinel]);
        Assert.Contains("sanctions on Cuba and Venezuela", e2e.RepliesTo(question)[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain(e2e.Rest.Requests, r => r.Body.Contains(Apology, StringComparison.Ordinal));
        Assert.DoesNotContain(e2e.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_reply_refused_with_403_gets_no_apology_and_the_channel_is_not_asked_again()
    {
        const ulong closed = 1310000000000000888;
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.On("POST", $"/channels/{EndToEndBot.Number(closed)}/messages").RespondAlways(FakeResponse.Forbidden());

        var first = await e2e.MentionAsync("what does Mexico want?", channel: closed);
        await e2e.Logs.WaitForAsync(e => e.Message.Contains($"The reply to message {EndToEndBot.Id(first)}", StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        var second = await e2e.MentionAsync("Who is Blinken meeting?", channel: closed);
        await e2e.Logs.WaitForAsync(e => e.Message.Contains($"The reply to message {EndToEndBot.Id(second)}", StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        var sentinel = await e2e.SettleAsync();

        var refused = Assert.Single(e2e.Rest.Requests, r => r.ApiPath == $"/channels/{EndToEndBot.Number(closed)}/messages");
        Assert.Equal(403, refused.ResponseStatus);
        Assert.Equal(200, await e2e.ResponseStatusAsync(await e2e.WaitForReplyAsync(sentinel)));
    }

    [Fact]
    public async Task Replies_held_longer_than_the_bot_waits_are_not_retried_and_one_notice_follows_the_hold()
    {
        const ulong busy = 1310000000000000555;
        await using var e2e = await EndToEndBot.StartAsync(_model, configuration: new Dictionary<string, string?> { ["Discord:Rest:MaxRateLimitWait"] = "00:00:01" });
        e2e.Rest.On("POST", $"/channels/{EndToEndBot.Number(busy)}/messages").Respond(FakeResponse.RateLimited(2.5));

        var first = await e2e.MentionAsync("what does Mexico want?", channel: busy);
        await e2e.WaitForReplyAsync(first);
        await e2e.Logs.WaitForAsync(e => e.Level == LogLevel.Warning && e.Message.Contains("holds the bot's replies", StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        var second = await e2e.MentionAsync("Who is Blinken meeting?", channel: busy);
        await e2e.Logs.WaitForAsync(e => e.Message.Contains($"The reply to message {EndToEndBot.Id(second)}", StringComparison.Ordinal), EndToEndBot.ReplyTimeout);

        var notice = await e2e.Rest.WaitForRequestAsync(r => EndToEndBot.IsReplyTo(r, first) && r.Body.Contains("went unanswered", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains("2 question(s) went unanswered", notice.Json.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, await e2e.ResponseStatusAsync(notice));
        await e2e.WaitUntilIdleAsync();
        Assert.Empty(e2e.RepliesTo(second));
        Assert.Equal(2, e2e.RepliesTo(first).Count);
        Assert.DoesNotContain(e2e.Rest.Requests, r => r.Body.Contains(Apology, StringComparison.Ordinal));
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task A_second_ready_naming_another_user_leaves_the_bot_answering_its_own_mentions()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var impostor = e2e.Gateway.Ready(e2e.Gateway.CurrentSession!);
        impostor["user"]!["id"] = "1100000000000000999";
        await e2e.Gateway.Connections[0].SendAsync(0, impostor, sequence: e2e.Gateway.CurrentSession!.LastSequence + 1, type: "READY");

        var question = await e2e.MentionAsync("what does Mexico want?");
        var toImpostor = e2e.Gateway.MessageCreate("<@1100000000000000999> what does Mexico want?", authorId: EndToEndBot.NewAuthor());
        await e2e.SendMessageAsync(toImpostor);
        var sentinel = await e2e.SettleAsync();

        await e2e.AssertEachAnsweredOnceAsync([question, sentinel]);
    }

    [Fact]
    public async Task A_message_without_a_guild_is_answered_as_a_DM_only_in_a_channel_discord_calls_a_DM()
    {
        const ulong guildChannel = 1310000000000000444;
        const ulong directChannel = 1310000000000000333;
        await using var e2e = await EndToEndBot.StartAsync(_model);
        e2e.Rest.AddDirectMessageChannel(directChannel);

        var notDirect = await e2e.SendMessageAsync(WithoutGuild(e2e.Gateway.MessageCreate("what does Mexico want?", guildChannel, authorId: EndToEndBot.NewAuthor())));
        var direct = await e2e.SendMessageAsync(WithoutGuild(e2e.Gateway.MessageCreate("what does Mexico want?", directChannel, authorId: EndToEndBot.NewAuthor())));
        var sentinel = await e2e.SettleAsync();

        await e2e.AssertEachAnsweredOnceAsync([direct, sentinel]);
        Assert.Empty(e2e.RepliesTo(notDirect));
        var records = await e2e.Host.Services.GetRequiredService<IAnswerLog>().ListAsync(null, 0, 10);
        Assert.Contains(records, r => r.Answer.Source == "dm" && r.Answer.ChannelId == EndToEndBot.Number(directChannel));

        static JsonObject WithoutGuild(JsonObject message)
        {
            message.Remove("guild_id");
            message.Remove("member");
            return message;
        }
    }

    [Fact]
    public async Task A_huge_question_and_asker_name_are_stored_cut_short()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var message = e2e.Bot.Mention("what does Mexico want? " + new string('x', 100_000), EndToEndBot.NewAuthor());
        message["author"]!["global_name"] = new string('n', 50_000);

        await e2e.SendMessageAsync(message);
        await e2e.WaitForReplyAsync(message);
        await e2e.WaitUntilIdleAsync();

        var record = Assert.Single(await e2e.Host.Services.GetRequiredService<IAnswerLog>().ListAsync(null, 0, 10));
        Assert.True(record.Answer.Question.Length <= 1000, $"a question of {record.Answer.Question.Length} characters was stored");
        Assert.True(record.Answer.Asker.Name.Length <= 100, $"a name of {record.Answer.Asker.Name.Length} characters was stored");
        Assert.All(e2e.Logs.Entries, e => Assert.True(e.FullText.Length < 5000, $"a log entry of {e.FullText.Length} characters: {e.Message[..Math.Min(200, e.Message.Length)]}"));
    }

    [Fact]
    public async Task With_the_gateway_address_configured_the_bot_still_waits_for_its_session_start_budget()
    {
        await using var e2e = await EndToEndBot.CreateAsync(_model, bot =>
        {
            bot.Rest.SessionStartRemaining = 0;
            bot.Rest.SessionStartResetAfter = 1500;
        });
        e2e.Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DiscordOptions>>().Value.GatewayUrl = e2e.Gateway.GatewayUrl;
        var started = e2e.Gateway.Elapsed;

        await e2e.Bot.StartAsync();

        var identify = Assert.Single(e2e.Gateway.Received, p => p.Op == 2);
        Assert.True(identify.At - started >= TimeSpan.FromSeconds(1.4), $"identified {(identify.At - started).TotalMilliseconds:0} ms after start");
        Assert.Contains(e2e.Rest.Requests, r => r.Is("GET", "/gateway/bot"));
        Assert.Contains(e2e.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No session starts remain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discord_rejecting_the_token_on_a_reply_stops_the_run_with_exit_4_and_one_line()
    {
        await using var rest = await FakeRestServer.StartAsync();
        await using var gateway = await FakeGatewayServer.StartAsync();
        rest.GatewayUrl = gateway.GatewayUrl;
        rest.On("POST", Replies).RespondAlways(FakeResponse.Unauthorized());
        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new CliEnvironment
        {
            In = new StringReader(string.Empty),
            Out = new StringWriter(),
            Error = stderr,
            BaseDirectory = AppContext.BaseDirectory,
            GetEnvironmentVariable = name => name == "DISCORD_TOKEN" ? rest.BotToken : null,
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var database = Path.Combine(Path.GetTempPath(), "caravanbot-e2e", Guid.NewGuid().ToString("N") + ".db");

        var run = CaravanBotCli.RunAsync(["run"], environment, services =>
        {
            services.PostConfigure<DiscordOptions>(options => options.ApiBaseUrl = rest.ApiBaseUrl);
            services.PostConfigure<AnswerLogOptions>(options => options.Path = database);
            services.AddSingleton<ISentenceEmbedder>(_model.Embedder);
        }, cancel.Token);
        await rest.WaitForRequestAsync(r => r.Method == "PUT", TimeSpan.FromSeconds(60));
        await gateway.SendMessageCreateAsync($"<@{gateway.BotUserId.ToString(CultureInfo.InvariantCulture)}> what does Mexico want?");
        var exitCode = await run;

        var output = stderr.ToString();
        Assert.True(ExitCodes.GatewayRefused == exitCode, $"exit code {exitCode}; stderr:\n{output}");
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("critical", StringComparison.Ordinal));
        Assert.Contains("401", line, StringComparison.Ordinal);
        Assert.Contains("revoked", line, StringComparison.Ordinal);
        Assert.Contains("DISCORD_TOKEN", line, StringComparison.Ordinal);
        Assert.DoesNotContain(rest.BotToken, output, StringComparison.Ordinal);
        Assert.Single(rest.Requests, r => r.Is("POST", Replies));
        Assert.Equal(1000, (await gateway.Connections[0].Closed.WaitAsync(TimeSpan.FromSeconds(10))).ClientCloseCode);
    }
}
