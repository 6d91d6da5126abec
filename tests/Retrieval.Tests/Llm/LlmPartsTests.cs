using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Llm;
using CaravanBot.Retrieval.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace CaravanBot.Retrieval.Tests.Llm;

[Collection(EngineCollection.Name)]
public sealed class LlmPartsTests
{
    private readonly EngineFixture _engine;

    public LlmPartsTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Theory]
    [InlineData("A vast caravan of thousands of migrants", true)]
    [InlineData("A  vast\ncaravan of   thousands of migrants", true)]
    [InlineData("\"A vast caravan of thousands of migrants\"", true)]
    [InlineData("A vast caravan of millions of migrants", false)]
    [InlineData("a vast caravan of thousands of migrants", false)]
    [InlineData("A", false)]
    [InlineData("...", false)]
    [InlineData("A vast caravan of thousands ... is travelling to the US southern border", true)]
    [InlineData("is travelling to the US southern border ... A vast caravan of thousands", false)]
    [InlineData("A vast caravan of thousands ... the US southern border", false)]
    [InlineData("vast caravan of thousands of migr", false)]
    public void Quotes_match_only_article_text_up_to_whitespace_and_quote_marks(string quote, bool matches)
    {
        var paragraph = _engine.Caravan.Article.Paragraphs.First(p => p.Text.Contains("A vast caravan of thousands of migrants", StringComparison.Ordinal));

        var citations = LlmQuoteMatcher.Match(_engine.Caravan.Article, new LlmQuote(paragraph.Number, quote));

        Assert.Equal(matches, citations.Count > 0);
        Assert.All(citations, c => Assert.True(QuoteVerifier.IsVerbatim(_engine.Caravan.Article, c)));
    }

    [Theory]
    [InlineData("About 8,000 @everyone", "About 8,000")]
    [InlineData("Ask <@123456> or <@&42> in <#7>", "Ask or in")]
    [InlineData("See [the AP](https://example.com) report", "See the AP report")]
    [InlineData("Line one\n\nline two", "Line one line two")]
    public void The_models_wording_is_made_safe_to_show(string raw, string shown)
    {
        Assert.Equal(shown, LlmAnswerService.Sanitize(raw));
    }

    [Fact]
    public void The_models_wording_is_cut_at_400_characters()
    {
        var shown = LlmAnswerService.Sanitize(string.Join(' ', Enumerable.Repeat("migrants", 100)));

        Assert.True(shown.Length <= 400);
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_prompt_template_is_loaded_from_the_prompts_folder()
    {
        var config = LlmAnswererFactory.LoadPrompt(new PromptProvider());
        var settings = OpenAIPromptExecutionSettings.FromExecutionSettings(config.DefaultExecutionSettings);

        Assert.Equal("llm_answer", config.Name);
        Assert.Equal(["question", "paragraphs"], config.InputVariables.Select(v => v.Name).ToArray());
        Assert.Contains("{{$question}}", config.Template, StringComparison.Ordinal);
        Assert.Contains("{{$paragraphs}}", config.Template, StringComparison.Ordinal);
        Assert.Contains("UNTRUSTED TEXT", config.Template, StringComparison.Ordinal);
        Assert.Equal(0, settings.Temperature);
        Assert.Equal(400, settings.MaxTokens);
    }

    [Theory]
    [InlineData(LlmProvider.None, null, null, null, true)]
    [InlineData(LlmProvider.OpenAI, "gpt-4o-mini", "sk-test", null, true)]
    [InlineData(LlmProvider.OpenAI, null, "sk-test", null, false)]
    [InlineData(LlmProvider.OpenAI, "gpt-4o-mini", null, null, false)]
    [InlineData(LlmProvider.AzureOpenAI, "my-deployment", "key", "https://example.openai.azure.com/", true)]
    [InlineData(LlmProvider.AzureOpenAI, "my-deployment", "key", null, false)]
    [InlineData(LlmProvider.OpenAICompatible, "llama3.1", null, "http://localhost:11434/v1", true)]
    [InlineData(LlmProvider.OpenAICompatible, "llama3.1", null, null, false)]
    public void Options_are_validated(LlmProvider provider, string? model, string? key, string? endpoint, bool valid)
    {
        var options = new LlmOptions { Provider = provider, Model = model, ApiKey = key, Endpoint = endpoint is null ? null : new Uri(endpoint) };

        Assert.Equal(valid, new LlmOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void The_api_key_never_appears_in_the_options_text()
    {
        var options = new LlmOptions { Provider = LlmProvider.OpenAI, Model = "gpt-4o-mini", ApiKey = "sk-secret-123" };

        Assert.DoesNotContain("sk-secret-123", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("gpt-4o-mini", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void By_default_the_retrieval_services_leave_the_llm_mode_off()
    {
        using var services = new ServiceCollection().AddCaravanRetrieval().BuildServiceProvider();

        var factory = services.GetRequiredService<LlmAnswererFactory>();

        Assert.False(factory.IsEnabled);
        Assert.Equal(LlmProvider.None, services.GetRequiredService<IOptions<LlmOptions>>().Value.Provider);
    }
}
