using System.Globalization;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Replies Discord's rate limit held back for longer than the REST client waits (see
/// <see cref="DiscordRestOptions.MaxRateLimitWait"/>). Those questions are not answered, since the channel takes
/// nothing until the hold ends; the log says so once per hold, at warning, and when the hold ends one notice in
/// the channel (a reply to the first question held) tells readers how many went unanswered and to ask again.
/// </summary>
public sealed partial class HeldReplies : IDisposable
{
    // A notice follows the hold's end a little later, so it does not meet the limit's last moments.
    private static readonly TimeSpan NoticeMargin = TimeSpan.FromSeconds(1);

    // Holds longer than this are not waited out for a notice: a reader will not connect it to their question.
    private static readonly TimeSpan LongestNoticedHold = TimeSpan.FromHours(1);

    private readonly Dictionary<ulong, Hold> _holds = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDiscordRestClient _rest;
    private readonly ReplyWording _wording;
    private readonly TimeProvider _time;
    private readonly ILogger<HeldReplies> _logger;

    /// <summary>Creates the tracker.</summary>
    public HeldReplies(IDiscordRestClient rest, ReplyWording wording, TimeProvider time, ILogger<HeldReplies> logger)
    {
        _rest = rest;
        _wording = wording;
        _time = time;
        _logger = logger;
    }

    /// <summary>Holds whose notice is still due (for tests and diagnostics).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _holds.Count;
            }
        }
    }

    /// <summary>The reply to <paramref name="question"/> was not sent: its channel is held for <paramref name="retryAfter"/>.</summary>
    public void Held(DiscordMessage question, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(question);
        var until = _time.GetUtcNow() + retryAfter;
        var channel = question.ChannelId.Value;
        bool first;
        lock (_lock)
        {
            first = !_holds.TryGetValue(channel, out var hold);
            if (first)
            {
                hold = new Hold(question, _time.GetUtcNow());
                _holds[channel] = hold;
            }

            hold!.Count++;
            if (until > hold.Until)
            {
                hold.Until = until;
            }
        }

        if (!first)
        {
            return;
        }

        LogHeld(channel, (long)retryAfter.TotalSeconds);
        _ = NotifyWhenOverAsync(channel, _stopping.Token);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task NotifyWhenOverAsync(ulong channel, CancellationToken stopping)
    {
        Hold? hold = null;
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_lock)
                {
                    hold = _holds[channel];
                    wait = hold.Until - _time.GetUtcNow();
                    if (wait <= TimeSpan.Zero)
                    {
                        // Over: questions held from now on start a hold (and a notice) of their own.
                        _holds.Remove(channel);
                        break;
                    }
                }

                if (wait > LongestNoticedHold)
                {
                    LogNoNotice(channel, hold.Count);
                    return;
                }

                await Task.Delay(wait + NoticeMargin, _time, stopping).ConfigureAwait(false);
            }

            var duration = DescribeDuration(hold!.Until - hold.Since);
            var notice = AnswerMessageBuilder.Notice(_wording.RepliesHeld(hold.Count, duration), ephemeral: false) with
            {
                Flags = null,
                AllowedMentions = AllowedMentions.None,
                MessageReference = new MessageReference
                {
                    MessageId = hold.FirstQuestion.Id,
                    ChannelId = hold.FirstQuestion.ChannelId,
                    GuildId = hold.FirstQuestion.GuildId,
                    FailIfNotExists = false,
                },
            };
            await _rest.CreateMessageAsync(hold.FirstQuestion.ChannelId, notice, stopping).ConfigureAwait(false);
            LogNoticeSent(channel, hold.Count);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the notice is not worth holding the process for.
        }
        catch (Exception ex)
        {
            LogNoticeFailed(ex, channel);
        }
        finally
        {
            lock (_lock)
            {
                // This hold is over, one way or another; a newer one for the channel keeps its own notice.
                if (_holds.TryGetValue(channel, out var current) && ReferenceEquals(current, hold))
                {
                    _holds.Remove(channel);
                }
            }
        }
    }

    private static string DescribeDuration(TimeSpan duration) =>
        duration < TimeSpan.FromMinutes(2)
            ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(duration.TotalSeconds))} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(duration.TotalMinutes)} min");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord holds the bot's replies in channel {ChannelId} for {Seconds} s, longer than the bot waits: questions there go unanswered until it ends, then one notice tells readers to ask again")]
    private partial void LogHeld(ulong channelId, long seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Told channel {ChannelId} that {Count} question(s) went unanswered while Discord held its replies")]
    private partial void LogNoticeSent(ulong channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord holds channel {ChannelId} for more than an hour; {Count} question(s) there went unanswered and get no notice")]
    private partial void LogNoNotice(ulong channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not post the notice about held replies in channel {ChannelId}")]
    private partial void LogNoticeFailed(Exception exception, ulong channelId);

    private sealed class Hold
    {
        public Hold(DiscordMessage firstQuestion, DateTimeOffset since)
        {
            FirstQuestion = firstQuestion;
            Since = since;
            Until = since;
        }

        public DiscordMessage FirstQuestion { get; }

        public DateTimeOffset Since { get; }

        public DateTimeOffset Until { get; set; }

        public int Count { get; set; }
    }
}
