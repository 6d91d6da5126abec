using System.Globalization;
using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Moderation;

/// <summary>A moderator's decision on a review card.</summary>
public enum ReviewAction
{
    /// <summary>The answer is right.</summary>
    Approve,

    /// <summary>The answer needs a closer look.</summary>
    Flag,

    /// <summary>The answer is withdrawn from the channel.</summary>
    Retract,

    /// <summary>The answer is replaced with a moderator's (opens the correction form).</summary>
    Correct,
}

/// <summary>
/// The custom ids of moderation components, all stateless (the answer's log id is in the id), so
/// cards and buttons keep working after a restart. The longest, <c>rv:correction:</c> plus a 19-digit
/// id, is 33 characters: far below Discord's 100.
/// <list type="bullet">
/// <item><c>rv:approve:12</c>, <c>rv:flag:12</c>, <c>rv:retract:12</c>, <c>rv:correct:12</c>: card buttons.</item>
/// <item><c>rv:correction:12</c>: the correction form.</item>
/// <item><c>rq:flagged:2</c>, <c>rq:all:0</c>: pages of <c>/review queue</c>.</item>
/// <item><c>fb:up:12</c>, <c>fb:down:12</c>: readers' votes; <c>fb:reason:12</c>: the 👎 reason form.</item>
/// </list>
/// </summary>
public static class ModerationCustomIds
{
    /// <summary>Prefix of review card buttons and the correction form.</summary>
    public const string ReviewPrefix = "rv:";

    /// <summary>Prefix of queue page buttons.</summary>
    public const string QueuePrefix = "rq:";

    /// <summary>Prefix of readers' feedback buttons and form.</summary>
    public const string FeedbackPrefix = "fb:";

    /// <summary>The queue of every status.</summary>
    public const string AllStatuses = "all";

    /// <summary>
    /// The last queue page a button may name (a million answers at ten a page): a custom id is whatever the client
    /// sends, and a page beyond this would overflow the offset.
    /// </summary>
    public const int MaxQueuePage = 100_000;

    private const string CorrectionForm = "correction";
    private const string Up = "up";
    private const string Down = "down";
    private const string Reason = "reason";

    /// <summary><c>rv:{action}:{id}</c>.</summary>
    public static string ReviewButton(ReviewAction action, long answerId) => $"{ReviewPrefix}{ActionName(action)}:{Number(answerId)}";

    /// <summary><c>rv:correction:{id}</c>.</summary>
    public static string CorrectionModal(long answerId) => $"{ReviewPrefix}{CorrectionForm}:{Number(answerId)}";

    /// <summary><c>rq:{status|all}:{page}</c>.</summary>
    public static string QueuePage(AnswerStatus? status, int page) => $"{QueuePrefix}{StatusName(status)}:{Number(page)}";

    /// <summary><c>fb:up:{id}</c> or <c>fb:down:{id}</c>.</summary>
    public static string FeedbackButton(int vote, long answerId) => $"{FeedbackPrefix}{(vote > 0 ? Up : Down)}:{Number(answerId)}";

    /// <summary><c>fb:reason:{id}</c>.</summary>
    public static string FeedbackReasonModal(long answerId) => $"{FeedbackPrefix}{Reason}:{Number(answerId)}";

    /// <summary>Reads a card button back.</summary>
    public static bool TryParseReviewButton(string? customId, out ReviewAction action, out long answerId)
    {
        action = default;
        answerId = 0;
        if (!TrySplit(customId, ReviewPrefix, out var name, out var rest) || !TryParseId(rest, out answerId))
        {
            return false;
        }

        ReviewAction? parsed = name switch
        {
            "approve" => ReviewAction.Approve,
            "flag" => ReviewAction.Flag,
            "retract" => ReviewAction.Retract,
            "correct" => ReviewAction.Correct,
            _ => null,
        };
        action = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>Reads the correction form's id back.</summary>
    public static bool TryParseCorrectionModal(string? customId, out long answerId)
    {
        answerId = 0;
        return TrySplit(customId, ReviewPrefix, out var name, out var rest) && name == CorrectionForm && TryParseId(rest, out answerId);
    }

    /// <summary>Reads a queue page button back; <paramref name="status"/> is null for all statuses.</summary>
    public static bool TryParseQueuePage(string? customId, out AnswerStatus? status, out int page)
    {
        status = null;
        page = 0;
        return TrySplit(customId, QueuePrefix, out var name, out var rest)
            && TryParseStatus(name, out status)
            && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out page)
            && page <= MaxQueuePage;
    }

    /// <summary>Reads a vote button back: +1 or -1.</summary>
    public static bool TryParseFeedbackButton(string? customId, out int vote, out long answerId)
    {
        vote = 0;
        answerId = 0;
        if (!TrySplit(customId, FeedbackPrefix, out var name, out var rest) || name is not (Up or Down) || !TryParseId(rest, out answerId))
        {
            return false;
        }

        vote = name == Up ? 1 : -1;
        return true;
    }

    /// <summary>Reads the 👎 reason form's id back.</summary>
    public static bool TryParseFeedbackReasonModal(string? customId, out long answerId)
    {
        answerId = 0;
        return TrySplit(customId, FeedbackPrefix, out var name, out var rest) && name == Reason && TryParseId(rest, out answerId);
    }

    /// <summary>The lower-case name of a status as ids and the <c>/review queue</c> option spell it; "all" for null.</summary>
    public static string StatusName(AnswerStatus? status) => status switch
    {
        null => AllStatuses,
        AnswerStatus.New => "new",
        AnswerStatus.Approved => "approved",
        AnswerStatus.Flagged => "flagged",
        AnswerStatus.Retracted => "retracted",
        AnswerStatus.Corrected => "corrected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Reads a status name back ("all" is null).</summary>
    public static bool TryParseStatus(string? name, out AnswerStatus? status)
    {
        status = null;
        switch (name)
        {
            case AllStatuses:
                return true;
            case "new":
                status = AnswerStatus.New;
                return true;
            case "approved":
                status = AnswerStatus.Approved;
                return true;
            case "flagged":
                status = AnswerStatus.Flagged;
                return true;
            case "retracted":
                status = AnswerStatus.Retracted;
                return true;
            case "corrected":
                status = AnswerStatus.Corrected;
                return true;
            default:
                return false;
        }
    }

    private static string ActionName(ReviewAction action) => action switch
    {
        ReviewAction.Approve => "approve",
        ReviewAction.Flag => "flag",
        ReviewAction.Retract => "retract",
        ReviewAction.Correct => "correct",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static bool TrySplit(string? customId, string prefix, out string name, out string rest)
    {
        name = string.Empty;
        rest = string.Empty;
        if (customId is null || !customId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = customId[prefix.Length..];
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        name = body[..colon];
        rest = body[(colon + 1)..];
        return true;
    }

    private static bool TryParseId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
