using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Discord.Gateway;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Bot.Tests.Hosting;

public sealed class RunCommandTests : IDisposable
{
    private readonly BotHostHarness _bot = new();

    public void Dispose() => _bot.Dispose();

    private static JsonElement Mention(string question, ulong messageId = DiscordPayloads.MessageId) =>
        DiscordPayloads.Message("<@1000> " + question, mentionsBot: true, messageId: messageId);

    private static bool RepliedTo(RestCall call, ulong messageId) =>
        call.Route == "/channels/4000/messages"
        && call.Body.GetProperty("message_reference").GetProperty("message_id").GetString() == DiscordPayloads.Id(messageId);

    [Fact]
    public async Task Run_without_a_token_exits_2_with_one_line_naming_DISCORD_TOKEN()
    {
        _bot.Variables.Remove("DISCORD_TOKEN");

        var exitCode = await _bot.RunAsync();

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(_bot.StderrLines);
        Assert.StartsWith("caravanbot: ", line, StringComparison.Ordinal);
        Assert.Contains("DISCORD_TOKEN", line, StringComparison.Ordinal);
        Assert.Empty(_bot.Rest.Calls);
        Assert.False(_bot.Gateway.Running.Task.IsCompleted);
    }

    [Fact]
    public async Task A_token_with_whitespace_is_a_configuration_error_that_does_not_echo_the_token()
    {
        _bot.Variables["DISCORD_TOKEN"] = "abc def";

        var exitCode = await _bot.RunAsync();

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(_bot.StderrLines);
        Assert.Contains("whitespace", line, StringComparison.Ordinal);
        Assert.DoesNotContain("abc def", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("long")]
    [InlineData("non-ascii")]
    [InlineData("control")]
    public async Task A_token_that_cannot_work_is_refused_at_start_with_exit_2_and_one_line_that_does_not_echo_it(string kind)
    {
        var token = kind switch
        {
            "long" => "MTA5" + new string('x', 10_240),
            "non-ascii" => "MTA5.tökén.value",
            _ => "MTA5.token.value",
        };
        _bot.Variables["DISCORD_TOKEN"] = token;

        var exitCode = await _bot.RunAsync();

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(_bot.StderrLines);
        Assert.StartsWith("caravanbot: ", line, StringComparison.Ordinal);
        Assert.Contains("Discord:Token", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxx", line, StringComparison.Ordinal);
        Assert.False(_bot.Gateway.Running.Task.IsCompleted);
    }

    [Fact]
    public async Task Run_reading_the_article_from_standard_input_is_a_usage_error()
    {
        var exitCode = await _bot.RunAsync("--article", "-");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("standard input", Assert.Single(_bot.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bot_registers_commands_answers_mentions_and_interactions_and_stops_cleanly_on_ctrl_c()
    {
        await _bot.StartAsync();

        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        _bot.Gateway.Push("MESSAGE_CREATE", Mention("what does Mexico want?"));
        _bot.Gateway.Push("INTERACTION_CREATE", DiscordPayloads.SlashCommand("ask", ("question", 3, JsonValue.Create("And Blinken?"))));
        _bot.Gateway.Push("GUILD_CREATE", JsonSerializer.SerializeToElement(new { id = "3000" }));
        // Registration, the mention's reply, the /ask callback, and GET @original to log the reply's id.
        var calls = await _bot.Rest.WaitForAsync(c => c.Count == 4);

        Assert.Contains(calls, c => c.Method == "PUT" && c.Route == "/applications/2000/commands" && c.Body.GetArrayLength() == 5);
        var reply = Assert.Single(calls, c => RepliedTo(c, DiscordPayloads.MessageId));
        Assert.Equal([2, 4], MessageJson.Attributions(reply.Body.Embed().Description()));
        var callback = Assert.Single(calls, c => c.Route.EndsWith("/callback", StringComparison.Ordinal));
        Assert.Equal(4, callback.CallbackType);

        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
        Assert.True(_bot.Gateway.StoppedByCancellation);
        Assert.Contains("Gateway Connecting", _bot.Stderr, StringComparison.Ordinal);
        Assert.Contains("Gateway Connected", _bot.Stderr, StringComparison.Ordinal);
        Assert.Contains("Registered 5 application commands (global)", _bot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(BotHostHarness.Token, _bot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", _bot.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_channel_discord_announces_as_a_DM_is_answered_without_a_mention_or_a_lookup()
    {
        const ulong announced = 4200;
        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        await _bot.Rest.WaitForAsync(c => c.Count == 1);

        _bot.Gateway.Push("CHANNEL_CREATE", JsonSerializer.SerializeToElement(new { id = "4200", type = 1, last_message_id = (string?)null, recipients = Array.Empty<object>() }));
        var message = JsonNode.Parse(DiscordPayloads.Message("What does Mexico want?", guild: false, messageId: 6200).GetRawText())!.AsObject();
        message["channel_id"] = "4200";
        _bot.Gateway.Push("MESSAGE_CREATE", JsonSerializer.SerializeToElement(message));

        var calls = await _bot.Rest.WaitForAsync(c => c.Count == 2);
        Assert.Equal($"/channels/{announced}/messages", calls[1].Route);
        Assert.Empty(_bot.Rest.ChannelLookups);
    }

    [Fact]
    public async Task A_second_READY_does_not_register_the_commands_again()
    {
        await _bot.StartAsync();

        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        await _bot.Rest.WaitForAsync(c => c.Count == 1);
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        _bot.Gateway.Push("MESSAGE_CREATE", Mention("what does Mexico want?"));
        await _bot.Rest.WaitForAsync(c => c.Any(call => RepliedTo(call, DiscordPayloads.MessageId)));

        Assert.Single(_bot.Rest.Calls, c => c.Method == "PUT");
        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
    }

    [Fact]
    public async Task A_failed_registration_is_retried_at_the_next_READY()
    {
        _bot.Rest.Fail = call => call.Method == "PUT" && _bot.Rest.Calls.Count(c => c.Method == "PUT") == 1
            ? new HttpRequestException("Discord is down")
            : null;
        await _bot.StartAsync();

        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        await _bot.Rest.WaitForAsync(c => c.Count == 1);
        await WaitForAsync(() => _bot.Stderr.Contains("retrying at the next READY", StringComparison.Ordinal));
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());

        await _bot.Rest.WaitForAsync(c => c.Count(call => call.Method == "PUT") == 2);
        await WaitForAsync(() => _bot.Stderr.Contains("Registered 5 application commands", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
    }

    [Fact]
    public async Task A_fatal_gateway_close_stops_the_bot_with_exit_4_and_one_clear_line()
    {
        const string reason = "Authentication failed (4004): the token was refused; reset it in the developer portal and set DISCORD_TOKEN.";
        await _bot.StartAsync();

        _bot.Gateway.Fail(new GatewayFatalException(4004, reason));

        Assert.Equal(ExitCodes.GatewayRefused, await _bot.ExitCodeAsync());
        var line = Assert.Single(_bot.StderrLines, l => l.Contains(reason, StringComparison.Ordinal));
        Assert.StartsWith("caravanbot: critical: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _bot.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(BotHostHarness.Token, _bot.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_article_stops_the_bot_with_exit_3_before_connecting()
    {
        _bot.ArticleFailure = new ArticleLoadException("article not found: /nowhere/story.txt");

        var exitCode = await _bot.RunAsync();

        Assert.Equal(ExitCodes.InputUnavailable, exitCode);
        Assert.Contains(_bot.StderrLines, l => l.Contains("article not found: /nowhere/story.txt", StringComparison.Ordinal));
        Assert.False(_bot.Gateway.Running.Task.IsCompleted);
    }

    [Fact]
    public async Task A_slow_answer_does_not_hold_up_the_next_readers_question()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bot.Answers.Before = q => q.Contains("slow", StringComparison.Ordinal) ? slow.Task : Task.CompletedTask;
        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());

        _bot.Gateway.Push("MESSAGE_CREATE", Mention("a slow question about Mexico?", messageId: 6001));
        _bot.Gateway.Push("MESSAGE_CREATE", Mention("a quick question about Mexico?", messageId: 6002));
        await _bot.Rest.WaitForAsync(c => c.Any(call => RepliedTo(call, 6002)));
        Assert.DoesNotContain(_bot.Rest.Calls, c => RepliedTo(c, 6001));

        slow.SetResult();
        await _bot.Rest.WaitForAsync(c => c.Any(call => RepliedTo(call, 6001)));
        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
    }

    [Fact]
    public async Task A_question_being_answered_at_ctrl_c_still_gets_its_reply()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _bot.Answers.Before = _ => held.Task;
        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());
        _bot.Gateway.Push("MESSAGE_CREATE", Mention("what does Mexico want?"));
        await WaitForAsync(() => !_bot.Answers.Questions.IsEmpty);

        var stopping = _bot.StopAsync();
        await Task.Delay(200);
        held.SetResult();

        Assert.Equal(ExitCodes.Success, await stopping);
        Assert.Contains(_bot.Rest.Calls, c => RepliedTo(c, DiscordPayloads.MessageId));
    }

    [Fact]
    public async Task A_failing_handler_is_logged_in_one_line_and_the_reader_gets_an_apology()
    {
        _bot.Answers.Respond = _ => throw new InvalidOperationException("index exploded");
        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());

        _bot.Gateway.Push("MESSAGE_CREATE", Mention("what does Mexico want?"));

        var calls = await _bot.Rest.WaitForAsync(c => c.Any(call => RepliedTo(call, DiscordPayloads.MessageId)));
        Assert.StartsWith("Sorry, something went wrong", calls.Single(c => RepliedTo(c, DiscordPayloads.MessageId)).Body.Content(), StringComparison.Ordinal);
        Assert.Single(_bot.StderrLines, l => l.StartsWith("caravanbot: error: ", StringComparison.Ordinal) && l.EndsWith("index exploded", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
    }

    [Fact]
    public async Task A_malformed_dispatch_is_logged_and_the_bot_keeps_answering()
    {
        await _bot.StartAsync();
        _bot.Gateway.Push("READY", DiscordPayloads.Ready());

        _bot.Gateway.Push("MESSAGE_CREATE", JsonSerializer.SerializeToElement(new { content = "no ids at all" }));
        _bot.Gateway.Push("INTERACTION_CREATE", JsonSerializer.SerializeToElement(new[] { 1, 2, 3 }));
        _bot.Gateway.Push("MESSAGE_CREATE", Mention("what does Mexico want?"));

        await _bot.Rest.WaitForAsync(c => c.Any(call => RepliedTo(call, DiscordPayloads.MessageId)));
        await WaitForAsync(() => _bot.StderrLines.Count(l => l.Contains("Handling", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal)) == 2);
        Assert.Equal(ExitCodes.Success, await _bot.StopAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
