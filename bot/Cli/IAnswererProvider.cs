using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Indexes an article and hands back something that answers questions about it. This is the
/// seam between the command line and the answering engine: the process uses
/// <see cref="EngineAnswererProvider"/>, tests use a small fake that needs no model.
/// </summary>
public interface IAnswererProvider
{
    /// <summary>Indexes <paramref name="article"/>; the first call may load the embedding model.</summary>
    IArticleAnswerer Create(Article article);
}

/// <summary>Answers questions about one indexed article, one at a time or in batches.</summary>
public interface IArticleAnswerer : IAnswerService
{
    /// <summary>The indexed article.</summary>
    Article Article { get; }

    /// <summary>Answers <paramref name="questions"/> in order, one answer each, embedding them in batches.</summary>
    Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default);
}
