using CaravanBot.Retrieval.Answering;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Implemented by an answer service whose answers can take longer than Discord's 3-second interaction
/// deadline (a language-model mode): interactions are then acknowledged first (type 5) and the answer
/// is edited in when ready. The extractive engine answers in milliseconds and does not implement it.
/// </summary>
public interface IAnswerLatencyHint
{
    /// <summary>True when an answer may miss the 3-second deadline.</summary>
    bool MayMissInteractionDeadline { get; }
}

/// <summary>
/// Decides whether an interaction answer goes out directly (type 4) or is deferred (type 5, then
/// <c>PATCH @original</c>): up front when configured, when the service says it may be slow, or when the bot is
/// busy answering others (the answer would wait its turn); otherwise when the answer is still not ready
/// <see cref="DiscordFeatureOptions.DeferAfter"/> after the interaction came off the gateway.
/// </summary>
public sealed class AnswerDeferral
{
    private readonly DiscordFeatureOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the policy.</summary>
    public AnswerDeferral(IOptions<DiscordFeatureOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
    }

    /// <summary>
    /// True when interactions must be acknowledged before the answer is even asked for: configured so, a service
    /// that may be slow, or every answering slot taken (<paramref name="busy"/>), when the answer would first wait
    /// its turn behind others.
    /// </summary>
    public bool DeferUpFront(IAnswerService answers, bool busy = false) =>
        _options.DeferAnswers || busy || answers is IAnswerLatencyHint { MayMissInteractionDeadline: true };

    /// <summary>
    /// Waits for <paramref name="answering"/> until <see cref="DiscordFeatureOptions.DeferAfter"/> after
    /// <paramref name="receivedAt"/> (a <see cref="TimeProvider"/> timestamp; 0 means now); true when it finished in time.
    /// </summary>
    public async Task<bool> FinishesInTimeAsync(Task answering, long receivedAt, CancellationToken cancellationToken)
    {
        if (answering.IsCompleted)
        {
            return true;
        }

        var left = receivedAt == 0 ? _options.DeferAfter : _options.DeferAfter - _time.GetElapsedTime(receivedAt);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(left, _time, stopWaiting.Token);
        var first = await Task.WhenAny(answering, deadline).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == answering;
    }
}
