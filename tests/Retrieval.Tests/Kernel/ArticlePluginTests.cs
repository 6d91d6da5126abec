using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Kernel;
using Microsoft.SemanticKernel;

namespace CaravanBot.Retrieval.Tests.Kernel;

[Collection(EngineCollection.Name)]
public sealed class ArticlePluginTests
{
    private readonly Microsoft.SemanticKernel.Kernel _kernel;

    public ArticlePluginTests(EngineFixture engine)
    {
        _kernel = ArticleKernel.Create(engine.Caravan);
    }

    [Fact]
    public void The_kernel_exposes_search_paragraph_and_answer_functions()
    {
        var names = _kernel.Plugins[ArticlePlugin.PluginName].Select(f => f.Name).ToArray();

        Assert.Equal(["answer_question", "get_paragraph", "search_article"], names.Order().ToArray());
    }

    [Fact]
    public async Task Answer_question_through_the_kernel_needs_no_AI_service()
    {
        var result = await _kernel.InvokeAsync(ArticlePlugin.PluginName, "answer_question", new KernelArguments { ["question"] = "What does Mexico want?" });
        var answer = result.GetValue<Answer>()!;

        Assert.True(answer.Answered);
        Assert.Contains("sanctions", answer.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_paragraph_returns_the_exact_text_or_null()
    {
        var first = await _kernel.InvokeAsync(ArticlePlugin.PluginName, "get_paragraph", new KernelArguments { ["paragraph"] = 1 });
        var missing = await _kernel.InvokeAsync(ArticlePlugin.PluginName, "get_paragraph", new KernelArguments { ["paragraph"] = 999 });

        Assert.Equal("8,000-strong migrant caravan heads for US border", first.GetValue<string>());
        Assert.Null(missing.GetValue<string>());
    }

    [Fact]
    public async Task Search_article_ranks_verbatim_sentences_with_paragraph_numbers()
    {
        var result = await _kernel.InvokeAsync(ArticlePlugin.PluginName, "search_article", new KernelArguments { ["query"] = "sanctions on Cuba", ["top"] = 3 });
        var hits = result.GetValue<IReadOnlyList<SearchHit>>()!;

        Assert.Equal(3, hits.Count);
        Assert.Contains("sanctions on Cuba", hits[0].Text, StringComparison.Ordinal);
        Assert.True(hits[0].Score >= hits[1].Score);
    }
}
