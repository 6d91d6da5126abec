using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class ModerationCustomIdsTests
{
    [Theory]
    [InlineData(ReviewAction.Approve, "rv:approve:")]
    [InlineData(ReviewAction.Flag, "rv:flag:")]
    [InlineData(ReviewAction.Retract, "rv:retract:")]
    [InlineData(ReviewAction.Correct, "rv:correct:")]
    public void Card_buttons_round_trip_and_stay_far_below_100_characters(ReviewAction action, string prefix)
    {
        var id = ModerationCustomIds.ReviewButton(action, long.MaxValue);

        Assert.Equal(prefix + long.MaxValue, id);
        Assert.True(id.Length <= 100);
        Assert.True(ModerationCustomIds.TryParseReviewButton(id, out var parsed, out var answer));
        Assert.Equal((action, long.MaxValue), (parsed, answer));
    }

    [Fact]
    public void Forms_votes_and_pages_round_trip()
    {
        Assert.True(ModerationCustomIds.TryParseCorrectionModal(ModerationCustomIds.CorrectionModal(12), out var corrected));
        Assert.Equal(12, corrected);
        Assert.True(ModerationCustomIds.TryParseFeedbackButton(ModerationCustomIds.FeedbackButton(1, 12), out var up, out var upAnswer));
        Assert.Equal((1, 12L), (up, upAnswer));
        Assert.True(ModerationCustomIds.TryParseFeedbackButton(ModerationCustomIds.FeedbackButton(-1, 12), out var down, out _));
        Assert.Equal(-1, down);
        Assert.True(ModerationCustomIds.TryParseFeedbackReasonModal(ModerationCustomIds.FeedbackReasonModal(12), out var reasoned));
        Assert.Equal(12, reasoned);
        Assert.True(ModerationCustomIds.TryParseQueuePage(ModerationCustomIds.QueuePage(AnswerStatus.Corrected, 3), out var status, out var page));
        Assert.Equal((AnswerStatus.Corrected, 3), (status, page));
        Assert.True(ModerationCustomIds.TryParseQueuePage("rq:all:0", out var all, out _));
        Assert.Null(all);
    }

    [Theory]
    [InlineData("src:2")]
    [InlineData("rv:approve:")]
    [InlineData("rv:approve:0")]
    [InlineData("rv:approve:-3")]
    [InlineData("rv:delete:3")]
    [InlineData("rv:correction:3")]
    [InlineData("fb:sideways:3")]
    [InlineData("rq:pending:1")]
    [InlineData("rq:all:x")]
    [InlineData("vote:up")]
    [InlineData(null)]
    public void Anything_else_is_not_a_card_button_nor_a_vote(string? customId)
    {
        Assert.False(ModerationCustomIds.TryParseReviewButton(customId, out _, out _));
        Assert.False(ModerationCustomIds.TryParseFeedbackButton(customId, out _, out _));
        Assert.False(customId?.StartsWith("rq:", StringComparison.Ordinal) == true && ModerationCustomIds.TryParseQueuePage(customId, out _, out _));
    }
}
