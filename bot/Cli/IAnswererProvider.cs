using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using CaravanBot.Retrieval.Search;

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

    /// <summary>Indexes <paramref name="article"/>, reporting <paramref name="progress"/> and stopping when <paramref name="cancellationToken"/> is cancelled.</summary>
    IArticleAnswerer Create(Article article, IProgress<IndexingProgress>? progress, CancellationToken cancellationToken) => Create(article);
}

/// <summary>Answers questions about one indexed article, one at a time or in batches.</summary>
public interface IArticleAnswerer : IAnswerService
{
    /// <summary>The indexed article.</summary>
    Article Article { get; }

    /// <summary>
    /// How many questions of a file to answer before writing their answers: many for the extractive
    /// engine (their embeddings are computed together), one where each answer is a call to a language
    /// model, so nothing more is asked once the reader has gone.
    /// </summary>
    int BatchSize => 256;

    /// <summary>Answers <paramref name="questions"/> in order, one answer each, embedding them in batches.</summary>
    Task<IReadOnlyList<Answer>> AskManyAsync(IReadOnlyList<string> questions, CancellationToken cancellationToken = default);
}
