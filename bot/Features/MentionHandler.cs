using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Questions asked in messages: a message that mentions the bot in a channel, or any message in a DM (a channel
/// whose type is DM, see <see cref="DirectChannels"/>). The bot's own mention is removed from the question, and
/// the reply quotes the message without pinging its author. Messages from bots, webhooks and the bot itself are
/// never answered, so two bots cannot talk to each other forever. Each answer is recorded in the answer log
/// before the reply is sent, and the reply's id is recorded once it exists. The answering itself waits its turn
/// behind interactions (<see cref="AnswerScheduler"/>). When Discord refuses or holds the channel, no apology is
/// sent there (it would be refused too); held replies get one notice when the hold ends (<see cref="HeldReplies"/>).
/// </summary>
public sealed partial class MentionHandler
{
    private readonly IDiscordRestClient _rest;
    private readonly AnswerMessageBuilder _builder;
    private readonly ReplyWording _wording;
    private readonly QuestionRateLimiter _limiter;
    private readonly ModeratedAnswerService _answers;
    private readonly AnswerRecorder _recorder;
    private readonly AnswerScheduler _scheduler;
    private readonly DirectChannels _directChannels;
    private readonly HeldReplies _heldReplies;
    private readonly ILogger<MentionHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public MentionHandler(
        IDiscordRestClient rest,
        AnswerMessageBuilder builder,
        ReplyWording wording,
        QuestionRateLimiter limiter,
        ModeratedAnswerService answers,
        AnswerRecorder recorder,
        AnswerScheduler scheduler,
        DirectChannels directChannels,
        HeldReplies heldReplies,
        ILogger<MentionHandler> logger)
    {
        _rest = rest;
        _builder = builder;
        _wording = wording;
        _limiter = limiter;
        _answers = answers;
        _recorder = recorder;
        _scheduler = scheduler;
        _directChannels = directChannels;
        _heldReplies = heldReplies;
        _logger = logger;
    }

    /// <summary>
    /// The question in <paramref name="message"/> when it is addressed to the bot (a mention, or any
    /// message in a DM: <paramref name="direct"/>), with the bot's <c>&lt;@id&gt;</c> and <c>&lt;@!id&gt;</c>
    /// mentions removed and cut to <see cref="InputBounds.Question"/>; false for messages the bot must not answer.
    /// </summary>
    public static bool TryGetQuestion(DiscordMessage message, Snowflake botUserId, bool direct, [NotNullWhen(true)] out string? question)
    {
        ArgumentNullException.ThrowIfNull(message);
        question = null;
        if (!IsFromReader(message, botUserId))
        {
            return false;
        }

        var id = botUserId.Value.ToString(CultureInfo.InvariantCulture);
        var plain = "<@" + id + ">";
        var nickname = "<@!" + id + ">";
        var content = message.Content;
        var mentioned = message.Mentions.Any(u => u.Id == botUserId)
            || content.Contains(plain, StringComparison.Ordinal)
            || content.Contains(nickname, StringComparison.Ordinal);
        if (!mentioned && !direct)
        {
            return false;
        }

        var stripped = content.Replace(plain, " ", StringComparison.Ordinal).Replace(nickname, " ", StringComparison.Ordinal);
        question = InputBounds.Cut(string.Join(' ', stripped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), InputBounds.Question)!;
        return true;
    }

    /// <summary>False for messages from bots, webhooks and the bot itself, which are never answered.</summary>
    private static bool IsFromReader(DiscordMessage message, Snowflake botUserId) =>
        message.Author is { } author && author.Bot != true && message.WebhookId is null && author.Id != botUserId;

    /// <summary>Answers <paramref name="message"/> if it is a question for the bot; never throws except on cancellation.</summary>
    public async Task HandleAsync(DiscordMessage message, BotArticle bot, Snowflake botUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsFromReader(message, botUserId))
        {
            return;
        }

        // No guild id is not proof of a DM: the channel's type decides.
        var direct = message.GuildId is null && await _directChannels.IsDirectAsync(message.ChannelId, cancellationToken).ConfigureAwait(false);
        if (!TryGetQuestion(message, botUserId, direct, out var question))
        {
            return;
        }

        try
        {
            // Counted before the empty check too: a reply to an empty mention is still a message in the channel.
            var admission = _limiter.Admit(message.Author!.Id);
            if (!admission.Allowed)
            {
                LogRateLimited(message.Author.Id.Value, admission.NoticeDue);
                if (admission.NoticeDue)
                {
                    await ReplyAsync(message, AnswerMessageBuilder.Notice(_wording.RateLimitNotice(_limiter.QuestionsPerWindow), ephemeral: false), cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (DiscordText.IsBlank(question))
            {
                await ReplyAsync(message, AnswerMessageBuilder.Notice(_wording.EmptyQuestion, ephemeral: false), cancellationToken).ConfigureAwait(false);
                return;
            }

            var served = await _scheduler.RunAsync(AnswerPriority.Message, () => _answers.AskAsync(question, bot, cancellationToken), cancellationToken).ConfigureAwait(false);
            var id = await _recorder.RecordAsync(AskedQuestion.From(message, direct), served, cancellationToken).ConfigureAwait(false);
            var reply = await ReplyAsync(message, _builder.Served(served, bot.Article, ephemeral: false, id), cancellationToken).ConfigureAwait(false);
            var answer = served.Answer;
            LogAnswered(message.Id.Value, message.Author.Id.Value, direct, answer.Answered, answer.Citations.Count, answer.LatencyMs);
            if (reply.IsKnown)
            {
                await _recorder.PublishedAsync(id, reply.ChannelId, reply.Id, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Sent, but Discord's answer did not say as what: the card goes up without a link.
                LogReplyUnknown(message.Id.Value);
                await _recorder.SentPrivatelyAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (DiscordRestException ex) when (ex.StatusCode == 429 && ex.RetryAfter is { } retryAfter)
        {
            // The channel is held longer than the client waits: an apology would be held too.
            LogNotSent(message.Id.Value, message.ChannelId.Value, ex.Message);
            _heldReplies.Held(message, retryAfter);
        }
        catch (DiscordRestException ex) when (ex.StatusCode is 0 or 401 or 403 or 404 or 429 or >= 500)
        {
            // Discord refused or failed the channel (an apology would draw the same answer, and each refusal counts
            // towards Discord's IP ban), or the reply may have arrived although no answer said so.
            LogNotSent(message.Id.Value, message.ChannelId.Value, ex.Message);
        }
        catch (Exception ex)
        {
            LogFailed(ex, message.Id.Value, message.ChannelId.Value);
            await ApologiseAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApologiseAsync(DiscordMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await ReplyAsync(message, AnswerMessageBuilder.Notice(_wording.Apology, ephemeral: false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogApologyFailed(ex, message.Id.Value);
        }
    }

    private Task<DiscordMessage> ReplyAsync(DiscordMessage question, MessageCreateRequest reply, CancellationToken cancellationToken) =>
        _rest.CreateMessageAsync(
            question.ChannelId,
            reply with
            {
                // Flags other than ephemeral do not apply to channel messages, and a reply never pings.
                Flags = null,
                AllowedMentions = AllowedMentions.None,
                MessageReference = new MessageReference
                {
                    MessageId = question.Id,
                    ChannelId = question.ChannelId,
                    GuildId = question.GuildId,
                    FailIfNotExists = false,
                },
            },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered message {MessageId} of user {UserId} (DM {Direct}): answered {Answered}, {Quotes} quotes, {LatencyMs:F1} ms")]
    private partial void LogAnswered(ulong messageId, ulong userId, bool direct, bool answered, int quotes, double latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} is over the question limit; notice sent {NoticeSent}")]
    private partial void LogRateLimited(ulong userId, bool noticeSent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to message {MessageId} in channel {ChannelId} was not delivered, and no apology is sent there: {Reason}")]
    private partial void LogNotSent(ulong messageId, ulong channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reply to message {MessageId} was sent, but Discord's answer did not name it; its review card has no link")]
    private partial void LogReplyUnknown(ulong messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering message {MessageId} in channel {ChannelId} failed; apologising")]
    private partial void LogFailed(Exception exception, ulong messageId, ulong channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the apology for message {MessageId}")]
    private partial void LogApologyFailed(Exception exception, ulong messageId);
}
