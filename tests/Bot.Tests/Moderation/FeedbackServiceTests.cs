using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class FeedbackServiceTests
{
    private static readonly Actor Ann = new("1", "Ann");
    private static readonly Actor Ben = new("2", "Ben");
    private static readonly Actor Cy = new("3", "Cy");
    private static readonly Actor Dee = new("4", "Dee");

    private readonly InMemoryAnswerLog _log = new();

    private FeedbackService Service(int flagAfter = 3) =>
        new(Options.Create(new ModerationOptions { FlagAfterDownvotes = flagAfter }), NullLogger<FeedbackService>.Instance, _log);

    private async Task<long> AnswerAsync() => await _log.RecordAsync(TestRecords.Answer());

    [Fact]
    public async Task The_same_vote_twice_withdraws_it_and_the_other_vote_changes_it()
    {
        var feedback = Service();
        var id = await AnswerAsync();

        Assert.Equal(VoteOutcome.Added, (await feedback.VoteAsync(id, Ann, 1, null, default))!.Outcome);
        Assert.Equal(1, await feedback.CurrentVoteAsync(id, Ann.Id, default));
        Assert.Equal(VoteOutcome.Withdrawn, (await feedback.VoteAsync(id, Ann, 1, null, default))!.Outcome);
        Assert.Equal(0, await feedback.CurrentVoteAsync(id, Ann.Id, default));
        Assert.Equal(VoteOutcome.Added, (await feedback.VoteAsync(id, Ann, 1, null, default))!.Outcome);
        var changed = await feedback.VoteAsync(id, Ann, -1, "off topic", default);

        Assert.Equal(VoteOutcome.Changed, changed!.Outcome);
        var vote = Assert.Single(changed.Record.Feedback);
        Assert.Equal((-1, "off topic"), (vote.Vote, vote.Reason));
    }

    [Fact]
    public async Task A_reason_is_kept_only_with_a_downvote()
    {
        var feedback = Service();
        var id = await AnswerAsync();

        var result = await feedback.VoteAsync(id, Ann, 1, "great", default);

        Assert.Null(Assert.Single(result!.Record.Feedback).Reason);
    }

    [Fact]
    public async Task The_third_downvote_flags_the_answer_as_readers()
    {
        var feedback = Service();
        var id = await AnswerAsync();

        Assert.False((await feedback.VoteAsync(id, Ann, -1, null, default))!.Flagged);
        Assert.False((await feedback.VoteAsync(id, Ben, -1, null, default))!.Flagged);
        var third = await feedback.VoteAsync(id, Cy, -1, null, default);

        Assert.True(third!.Flagged);
        Assert.Equal(AnswerStatus.Flagged, third.Record.Status);
        var change = Assert.Single(third.Record.History);
        Assert.Equal((FeedbackService.Readers, "3 👎 from readers"), (change.By, change.Note));
    }

    [Fact]
    public async Task Upvotes_withdrawn_downvotes_and_a_lower_threshold_count_as_configured()
    {
        var feedback = Service(flagAfter: 2);
        var id = await AnswerAsync();
        await feedback.VoteAsync(id, Ann, -1, null, default);
        await feedback.VoteAsync(id, Ann, -1, null, default);
        await feedback.VoteAsync(id, Ben, 1, null, default);
        Assert.Equal(AnswerStatus.New, (await _log.GetAsync(id))!.Status);

        await feedback.VoteAsync(id, Cy, -1, null, default);
        var second = await feedback.VoteAsync(id, Ben, -1, null, default);

        Assert.True(second!.Flagged);
    }

    [Fact]
    public async Task Readers_flag_an_answer_once_and_never_overrule_a_moderator_afterwards()
    {
        var feedback = Service();
        var id = await AnswerAsync();
        foreach (var reader in new[] { Ann, Ben, Cy })
        {
            await feedback.VoteAsync(id, reader, -1, null, default);
        }

        await _log.ChangeStatusAsync(id, AnswerStatus.Approved, TestRecords.Moderator, null);
        var fourth = await feedback.VoteAsync(id, Dee, -1, null, default);

        Assert.False(fourth!.Flagged);
        Assert.Equal(AnswerStatus.Approved, fourth.Record.Status);
    }

    [Theory]
    [InlineData(AnswerStatus.Approved, true)]
    [InlineData(AnswerStatus.Flagged, false)]
    [InlineData(AnswerStatus.Retracted, false)]
    [InlineData(AnswerStatus.Corrected, false)]
    public async Task Only_new_or_approved_answers_are_flagged_by_votes(AnswerStatus status, bool flagged)
    {
        var feedback = Service(flagAfter: 1);
        var id = await AnswerAsync();
        await _log.ChangeStatusAsync(id, status, TestRecords.Moderator, null);

        var result = await feedback.VoteAsync(id, Ann, -1, null, default);

        Assert.Equal(flagged, result!.Flagged);
        Assert.Equal(flagged ? AnswerStatus.Flagged : status, result.Record.Status);
    }

    [Fact]
    public async Task An_unknown_answer_takes_no_vote()
    {
        var feedback = Service();

        Assert.Null(await feedback.VoteAsync(99, Ann, 1, null, default));
        Assert.Null(await feedback.CurrentVoteAsync(99, Ann.Id, default));
    }
}
