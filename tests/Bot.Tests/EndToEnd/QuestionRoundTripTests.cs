using System.Text.Json;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>Scenarios 1 and 2: a reader's mention and a reader's <c>/ask</c>, answered through the loopback Discord.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class QuestionRoundTripTests
{
    private const string SanctionsSentence =
        "wants to see US remove or reduce sanctions on Cuba and Venezuela, and for the US to contribute more development aid to the region";

    private readonly SharedModel _model;

    public QuestionRoundTripTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task A_mention_is_answered_with_a_reply_quoting_paragraph_9_a_show_button_and_no_ping()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);

        var question = await e2e.MentionAsync("what does Mexico want?");

        var reply = await e2e.WaitForReplyAsync(question);
        Assert.Equal(200, await e2e.ResponseStatusAsync(reply));
        Assert.Equal($"/channels/{EndToEndBot.Number(EndToEndBot.Channel)}/messages", reply.ApiPath);
        var body = reply.Json;
        var reference = body.GetProperty("message_reference");
        Assert.Equal(EndToEndBot.Id(question), reference.GetProperty("message_id").GetString());
        Assert.Equal(EndToEndBot.Number(EndToEndBot.Channel), reference.GetProperty("channel_id").GetString());
        var mentions = body.GetProperty("allowed_mentions");
        Assert.Empty(mentions.GetProperty("parse").EnumerateArray());
        Assert.False(mentions.GetProperty("replied_user").GetBoolean());

        var embed = Assert.Single(body.GetProperty("embeds").EnumerateArray());
        var description = embed.GetProperty("description").GetString()!;
        Assert.Contains(SanctionsSentence, description, StringComparison.Ordinal);
        Assert.Contains("— ¶9", description, StringComparison.Ordinal);
        var buttons = body.GetProperty("components").EnumerateArray().SelectMany(row => row.GetProperty("components").EnumerateArray()).ToList();
        Assert.Contains(buttons, b => b.GetProperty("label").GetString() == "Show ¶9" && b.GetProperty("custom_id").GetString() == "src:9");

        Assert.Single(e2e.Rest.Requests, EndToEndBot.IsChannelMessage);
        e2e.AssertEveryRequestValid();
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_gets_exactly_one_type_4_callback_with_the_answer_within_3_seconds(bool? isPrivate)
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var interaction = e2e.AskCommand("What does Mexico want?", isPrivate);
        var id = interaction["id"]!.GetValue<string>();
        var token = interaction["token"]!.GetValue<string>();

        // Discord's 3 s run from when it sends the interaction: timed on the REST fake's clock from the dispatch.
        var dispatchedAt = e2e.Rest.Elapsed;
        await e2e.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
        var callback = await e2e.Rest.WaitForRequestAsync(r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback"), EndToEndBot.ReplyTimeout);
        await e2e.WaitUntilIdleAsync();

        Assert.InRange(callback.ReceivedAt - dispatchedAt, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal($"/interactions/{id}/{token}/callback", callback.ApiPath);
        Assert.Equal(204, await e2e.ResponseStatusAsync(callback));
        Assert.Equal(4, callback.Json.GetProperty("type").GetInt32());
        var data = callback.Json.GetProperty("data");
        Assert.Contains(SanctionsSentence, Assert.Single(data.GetProperty("embeds").EnumerateArray()).GetProperty("description").GetString(), StringComparison.Ordinal);
        var flags = data.TryGetProperty("flags", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
        Assert.Equal(isPrivate == true ? 64 : 0, flags & 64);

        // One initial callback and nothing else sent for this interaction (no follow-up, no edit of
        // @original); reading @original back (to log the reply's id) is allowed.
        Assert.Single(e2e.Rest.Requests, r => r.Path.Contains(token, StringComparison.Ordinal) && r.Method != "GET");
        e2e.AssertEveryRequestValid();
    }
}
