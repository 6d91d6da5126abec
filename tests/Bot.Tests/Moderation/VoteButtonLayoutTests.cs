using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>👍 and 👎 sit next to the "Show ¶n" buttons within Discord's five buttons a row, five rows.</summary>
public sealed class VoteButtonLayoutTests
{
    private readonly AnswerMessageBuilder _builder = new(new ReplyWording(new PromptProvider()));

    private static string[][] Rows(MessageCreateRequest message) =>
        JsonSerializer.SerializeToElement(message, DiscordJson.Options).GetProperty("components").EnumerateArray()
            .Select(r => r.GetProperty("components").EnumerateArray().Select(b => b.GetProperty("custom_id").GetString()!).ToArray())
            .ToArray();

    private static Answer Citing(int paragraphs) => FixedAnswerService.Answered(
        "q?",
        Enumerable.Range(1, paragraphs).Select(p => new Citation(p, "x", 0, 1)).ToArray());

    [Fact]
    public void Three_paragraphs_and_the_two_votes_share_one_row()
    {
        Assert.Equal([["src:1", "src:2", "src:3", "fb:up:7", "fb:down:7"]], Rows(_builder.Answer(Citing(3), TestArticle.Article, ephemeral: false, feedbackId: 7)));
    }

    [Fact]
    public void Four_paragraphs_push_the_second_vote_onto_a_second_row()
    {
        Assert.Equal([["src:1", "src:2", "src:3", "src:4", "fb:up:7"], ["fb:down:7"]], Rows(_builder.Answer(Citing(4), TestArticle.Article, ephemeral: false, feedbackId: 7)));
    }

    [Fact]
    public void With_more_paragraphs_than_fit_the_votes_are_kept_and_paragraphs_left_out()
    {
        var rows = Rows(_builder.Answer(Citing(30), TestArticle.Article, ephemeral: false, feedbackId: long.MaxValue));

        Assert.Equal(DiscordLimits.ActionRows, rows.Length);
        Assert.All(rows, r => Assert.InRange(r.Length, 1, DiscordLimits.ButtonsPerRow));
        var ids = rows.SelectMany(r => r).ToArray();
        Assert.Equal(25, ids.Length);
        Assert.Equal([$"fb:up:{long.MaxValue}", $"fb:down:{long.MaxValue}"], ids[^2..]);
        Assert.All(ids, id => Assert.InRange(id.Length, 1, DiscordLimits.CustomId));
    }

    [Fact]
    public void An_abstention_gets_no_votes_and_an_unlogged_answer_no_votes_either()
    {
        Assert.Null(_builder.Answer(FixedAnswerService.Abstained("q?"), TestArticle.Article, ephemeral: false, feedbackId: 7).Components);
        Assert.Equal([["src:1"]], Rows(_builder.Answer(Citing(1), TestArticle.Article, ephemeral: false, feedbackId: null)));
    }
}
