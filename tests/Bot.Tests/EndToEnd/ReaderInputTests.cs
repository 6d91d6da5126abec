using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// Scenarios 6 and 7: readers who ask too much or type anything at all. A flood from one reader gets five answers,
/// one polite notice and then silence, while others are still answered; odd, huge, invisible or mention-laden
/// questions are answered or politely declined, never ping anyone, and never stop the bot.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReaderInputTests
{
    private const ulong DirectMessageChannel = 1310000000000000777;

    private readonly SharedModel _model;

    public ReaderInputTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task A_flood_from_one_reader_gets_5_answers_one_notice_then_silence_and_another_reader_is_still_answered()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var flooder = EndToEndBot.NewAuthor();
        var flood = new List<JsonObject>();
        for (var i = 1; i <= 8; i++)
        {
            flood.Add(await e2e.MentionAsync($"what does Mexico want? (take {i})", flooder));
        }

        var other = await e2e.MentionAsync("Who is Blinken meeting?");

        Assert.Equal(200, await e2e.ResponseStatusAsync(await e2e.WaitForReplyAsync(other)));
        await e2e.Rest.WaitForRequestsAsync(r => flood.Any(q => EndToEndBot.IsReplyTo(r, q)), 6, EndToEndBot.ReplyTimeout);
        await e2e.WaitUntilIdleAsync();

        var replies = flood.Select(e2e.RepliesTo).ToList();
        Assert.All(replies, r => Assert.InRange(r.Count, 0, 1));
        var sent = replies.SelectMany(r => r).ToList();
        Assert.Equal(6, sent.Count);
        var answers = sent.Where(r => r.Json.TryGetProperty("embeds", out _)).ToList();
        Assert.Equal(5, answers.Count);
        Assert.All(answers, a => Assert.Contains("sanctions on Cuba and Venezuela", a.Body, StringComparison.Ordinal));
        var notice = Assert.Single(sent.Except(answers));
        Assert.Contains("up to 5 questions a minute", notice.Json.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.False(notice.Json.GetProperty("allowed_mentions").GetProperty("replied_user").GetBoolean());
        Assert.Equal(2, replies.Count(r => r.Count == 0));

        var limited = e2e.Logs.Entries.Where(e => e.Message.Contains("over the question limit", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, limited.Count);
        Assert.Single(limited, e => e.Message.EndsWith("notice sent True", StringComparison.Ordinal));
        await e2e.AssertEachAnsweredOnceAsync([.. flood.Where(q => e2e.RepliesTo(q).Count == 1), other]);
        e2e.AssertEveryRequestValid();
    }

    [Fact]
    public async Task Odd_questions_are_answered_or_declined_without_pinging_anyone_and_the_bot_keeps_going()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var huge = new StringBuilder();
        while (huge.Length < 4000)
        {
            huge.Append("What does Mexico want from the US? ");
        }

        var questions = new List<JsonObject>
        {
            await e2e.MentionAsync(huge.ToString(0, 4000)),
            await e2e.MentionAsync("@everyone @here <@&123> <@!456> what does Mexico want?"),
            await e2e.MentionAsync("what\u200B does\u200D Mexico\u2060 want?\uFEFF"),
            await e2e.MentionAsync(string.Empty),
            await e2e.MentionAsync("\u200B\u200D\u2060"),
            await e2e.SendMessageAsync(DirectMessage(e2e, "what does Mexico want?")),
        };

        // Never answered: another bot mentioning this one (two bots must not talk forever).
        var fromBot = e2e.Bot.Mention("what does Mexico want?", EndToEndBot.NewAuthor());
        fromBot["author"]!["bot"] = true;
        await e2e.SendMessageAsync(fromBot);

        var after = await e2e.SettleAsync();
        await e2e.AssertEachAnsweredOnceAsync([.. questions, after]);
        e2e.AssertEveryRequestValid();

        var replies = questions.Select(q => Assert.Single(e2e.RepliesTo(q)).Json).ToArray();
        var mentionLaden = replies[1].GetProperty("embeds")[0].GetProperty("title").GetString()!;
        Assert.Contains("@\u200Beveryone", mentionLaden, StringComparison.Ordinal);
        Assert.Contains("what does Mexico want?", mentionLaden, StringComparison.Ordinal);
        Assert.Equal("Please ask a question about the article.", replies[3].GetProperty("content").GetString());
        Assert.Equal("Please ask a question about the article.", replies[4].GetProperty("content").GetString());

        var direct = replies[5];
        Assert.Contains("sanctions on Cuba and Venezuela", direct.ToString(), StringComparison.Ordinal);
        Assert.False(direct.GetProperty("message_reference").TryGetProperty("guild_id", out var guild) && guild.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.Contains(e2e.Rest.Requests, r => r.ApiPath == $"/channels/{EndToEndBot.Number(DirectMessageChannel)}/messages");

        Assert.Empty(e2e.RepliesTo(fromBot));
        Assert.DoesNotContain(e2e.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    /// <summary>A message in a DM: no guild, no member, no mention.</summary>
    private static JsonObject DirectMessage(EndToEndBot e2e, string content)
    {
        var message = e2e.Gateway.MessageCreate(content, DirectMessageChannel, authorId: EndToEndBot.NewAuthor());
        message.Remove("guild_id");
        message.Remove("member");
        e2e.Rest.AddDirectMessageChannel(DirectMessageChannel);
        message.Remove("member");
        return message;
    }
}
