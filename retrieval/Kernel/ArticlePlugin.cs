using System.ComponentModel;
using CaravanBot.Retrieval.Answering;
using Microsoft.SemanticKernel;

namespace CaravanBot.Retrieval.Kernel;

/// <summary>
/// The article as Semantic Kernel functions: the same calls the bot makes, so a language model
/// (later, optional) can use exactly the tools readers' answers are built from.
/// </summary>
public sealed class ArticlePlugin
{
    /// <summary>The plugin's name in a kernel.</summary>
    public const string PluginName = "article";

    private readonly ArticleAnswerer _answerer;

    /// <summary>Wraps one article's answerer.</summary>
    public ArticlePlugin(ArticleAnswerer answerer)
    {
        _answerer = answerer;
    }

    /// <summary>The sentences of the article most relevant to a query, best first.</summary>
    [KernelFunction("search_article")]
    [Description("Finds the sentences of the article most relevant to a query, best first, with their paragraph numbers.")]
    public IReadOnlyList<SearchHit> SearchArticle(
        [Description("What to look for")] string query,
        [Description("How many sentences to return (1-10)")] int top = 5)
    {
        var result = _answerer.Search(query);
        return result.Ranked.Take(Math.Clamp(top, 1, 10)).Select(r =>
        {
            var sentence = _answerer.Index.Sentences[r.Sentence];
            var paragraph = _answerer.Article.Paragraphs[sentence.Paragraph];
            return new SearchHit(paragraph.Number, sentence.Text, sentence.Span.Start, sentence.Span.End, Math.Round(r.Fused, 4));
        }).ToArray();
    }

    /// <summary>The full text of paragraph ¶n, or null when there is no such paragraph.</summary>
    [KernelFunction("get_paragraph")]
    [Description("Returns the exact text of paragraph number n (1-based), or null if there is none.")]
    public string? GetParagraph([Description("The 1-based paragraph number")] int paragraph) =>
        _answerer.Article.GetParagraph(paragraph)?.Text;

    /// <summary>Answers a question with verbatim quotes, or abstains.</summary>
    [KernelFunction("answer_question")]
    [Description("Answers a reader's question with verbatim quotes from the article and their paragraph numbers, or says the article does not cover it.")]
    public Task<Answer> AnswerQuestionAsync([Description("The reader's question")] string question, CancellationToken cancellationToken = default) =>
        _answerer.AskAsync(question, cancellationToken);
}

/// <summary>A search result as the kernel function returns it.</summary>
/// <param name="Paragraph">1-based paragraph number.</param>
/// <param name="Text">The sentence text (verbatim).</param>
/// <param name="Start">Start of the sentence in the paragraph.</param>
/// <param name="End">End of the sentence in the paragraph (exclusive).</param>
/// <param name="Score">Fused retrieval score.</param>
public sealed record SearchHit(int Paragraph, string Text, int Start, int End, double Score);

/// <summary>Builds the kernel the bot and a later language-model mode share.</summary>
public static class ArticleKernel
{
    /// <summary>A kernel with the article plugin and no AI service: it works fully offline.</summary>
    public static Microsoft.SemanticKernel.Kernel Create(ArticleAnswerer answerer)
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new ArticlePlugin(answerer), ArticlePlugin.PluginName);
        return builder.Build();
    }
}
