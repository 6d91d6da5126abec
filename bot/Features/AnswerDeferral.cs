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
/// <c>PATCH @original</c>): up front when configured or when the service says it may be slow, and
/// otherwise when the answer is still not ready after <see cref="DiscordFeatureOptions.DeferAfter"/>.
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

    /// <summary>True when interactions must be acknowledged before the answer is even asked for.</summary>
    public bool DeferUpFront(IAnswerService answers) =>
        _options.DeferAnswers || answers is IAnswerLatencyHint { MayMissInteractionDeadline: true };

    /// <summary>Waits for <paramref name="answering"/> at most <see cref="DiscordFeatureOptions.DeferAfter"/>; true when it finished in time.</summary>
    public async Task<bool> FinishesInTimeAsync(Task answering, CancellationToken cancellationToken)
    {
        if (answering.IsCompleted)
        {
            return true;
        }

        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(_options.DeferAfter, _time, stopWaiting.Token);
        var first = await Task.WhenAny(answering, deadline).ConfigureAwait(false);
        await stopWaiting.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == answering;
    }
}
