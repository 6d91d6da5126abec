using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Questions asked in messages: a message that mentions the bot in a channel, or any message in a DM.
/// The bot's own mention is removed from the question, and the reply quotes the message without
/// pinging its author. Messages from bots, webhooks and the bot itself are never answered, so two
/// bots cannot talk to each other forever. Each answer is recorded in the answer log before the reply
/// is sent, and the reply's id is recorded once it exists.
/// </summary>
public sealed partial class MentionHandler
{
    private readonly IDiscordRestClient _rest;
    private readonly AnswerMessageBuilder _builder;
    private readonly ReplyWording _wording;
    private readonly QuestionRateLimiter _limiter;
    private readonly ModeratedAnswerService _answers;
    private readonly AnswerRecorder _recorder;
    private readonly ILogger<MentionHandler> _logger;

    /// <summary>Creates the handler.</summary>
    public MentionHandler(
        IDiscordRestClient rest,
        AnswerMessageBuilder builder,
        ReplyWording wording,
        QuestionRateLimiter limiter,
        ModeratedAnswerService answers,
        AnswerRecorder recorder,
        ILogger<MentionHandler> logger)
    {
        _rest = rest;
        _builder = builder;
        _wording = wording;
        _limiter = limiter;
        _answers = answers;
        _recorder = recorder;
        _logger = logger;
    }

    /// <summary>
    /// The question in <paramref name="message"/> when it is addressed to the bot (a mention, or any
    /// message in a DM), with the bot's <c>&lt;@id&gt;</c> and <c>&lt;@!id&gt;</c> mentions removed; false
    /// for messages the bot must not answer.
    /// </summary>
    public static bool TryGetQuestion(DiscordMessage message, Snowflake botUserId, [NotNullWhen(true)] out string? question)
    {
        ArgumentNullException.ThrowIfNull(message);
        question = null;
        if (message.Author is not { } author || author.Bot == true || message.WebhookId is not null || author.Id == botUserId)
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
        var direct = message.GuildId is null;
        if (!mentioned && !direct)
        {
            return false;
        }

        var stripped = content.Replace(plain, " ", StringComparison.Ordinal).Replace(nickname, " ", StringComparison.Ordinal);
        question = string.Join(' ', stripped.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return true;
    }

    /// <summary>Answers <paramref name="message"/> if it is a question for the bot; never throws except on cancellation.</summary>
    public async Task HandleAsync(DiscordMessage message, BotArticle bot, Snowflake botUserId, CancellationToken cancellationToken)
    {
        if (!TryGetQuestion(message, botUserId, out var question))
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

            var served = await _answers.AskAsync(question, bot, cancellationToken).ConfigureAwait(false);
            var id = await _recorder.RecordAsync(AskedQuestion.From(message), served, cancellationToken).ConfigureAwait(false);
            var reply = await ReplyAsync(message, _builder.Served(served, bot.Article, ephemeral: false, id), cancellationToken).ConfigureAwait(false);
            var answer = served.Answer;
            LogAnswered(message.Id.Value, message.Author.Id.Value, message.GuildId is null, answer.Answered, answer.Citations.Count, answer.LatencyMs);
            await _recorder.PublishedAsync(id, reply.ChannelId, reply.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering message {MessageId} in channel {ChannelId} failed; apologising")]
    private partial void LogFailed(Exception exception, ulong messageId, ulong channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send the apology for message {MessageId}")]
    private partial void LogApologyFailed(Exception exception, ulong messageId);
}
