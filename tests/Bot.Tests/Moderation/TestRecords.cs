using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>Answer records for unit tests, as the log would return them.</summary>
internal static class TestRecords
{
    public static readonly DateTimeOffset At = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static readonly Actor Moderator = new("9100", "Moderator Mo");

    /// <summary>The identity of <see cref="Features.TestArticle.Article"/>, the article the test bot serves.</summary>
    public static readonly LoggedArticle Article = Features.TestArticle.Article.LoggedIdentity();

    public static NewAnswer Answer(string question = "What does Mexico want?", bool answered = true, string source = "mention", string? guildId = "3000") => new()
    {
        At = At,
        GuildId = guildId,
        ChannelId = "4000",
        Asker = new Actor("5000", "Reader Rae"),
        Source = source,
        Question = question,
        Answered = answered,
        Reason = answered ? null : "not_in_article",
        AnswerText = answered ? "Here is what the article says:" : "Sorry, the article does not say, so I won't guess.",
        Citations = answered ? [new LoggedCitation(2, "Mexico wants sanctions on Cuba and Venezuela lifted", 0, 51)] : [],
        Mode = "extractive",
        LatencyMs = 12.4,
    };

    public static AnswerRecord Record(long id = 1, NewAnswer? answer = null, AnswerStatus status = AnswerStatus.New, Correction? correction = null, IReadOnlyList<StatusChange>? history = null) => new()
    {
        Id = id,
        Answer = answer ?? Answer(),
        ReplyChannelId = "4000",
        ReplyMessageId = "6001",
        ReviewMessageId = "7001",
        Status = status,
        History = history ?? (status == AnswerStatus.New ? [] : [new StatusChange(status, Moderator, At, null)]),
        Correction = correction,
        Feedback = [],
    };

    public static AnswerRecord Corrected(long id, string question, string text = "A moderator's answer.") =>
        Record(id, Answer(question), AnswerStatus.Corrected, new Correction(text, [], Moderator, At, Article));
}
