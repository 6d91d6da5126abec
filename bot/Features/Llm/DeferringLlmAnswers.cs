using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Llm;

namespace CaravanBot.Bot.Llm;

/// <summary>
/// The language-model answerer as the bot serves it: it may take seconds, so it tells
/// <see cref="AnswerDeferral"/> to acknowledge interactions first (type 5) and edit the answer in.
/// </summary>
public sealed class DeferringLlmAnswers : IAnswerService, IAnswerLatencyHint
{
    private readonly LlmAnswerService _inner;

    /// <summary>Wraps one article's language-model answerer.</summary>
    public DeferringLlmAnswers(LlmAnswerService inner)
    {
        _inner = inner;
    }

    /// <inheritdoc />
    public bool MayMissInteractionDeadline => _inner.MayMissInteractionDeadline;

    /// <inheritdoc />
    public Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default) =>
        _inner.AskAsync(question, cancellationToken);
}
