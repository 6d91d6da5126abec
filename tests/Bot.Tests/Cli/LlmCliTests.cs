using System.Text.Json;
using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

/// <summary>The command line switches to language-model answers from the same environment variables as <c>run</c>.</summary>
public sealed class LlmCliTests : IDisposable
{
    private static readonly string SeedArticle = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");
    private readonly CliHarness _cli = new() { UseRealEngine = true };

    [Fact]
    public async Task An_incomplete_provider_setting_is_a_usage_error_naming_what_is_missing()
    {
        _cli.Variables["Llm__Provider"] = "OpenAI";

        var result = await _cli.RunAsync("ask", "--article", SeedArticle, "What does Mexico want?");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("Llm:Model", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [Fact]
    public async Task An_unreachable_model_falls_back_to_the_verified_extractive_answer()
    {
        _cli.Variables["Llm__Provider"] = "OpenAICompatible";
        _cli.Variables["Llm__Endpoint"] = "http://127.0.0.1:9/v1"; // nothing listens on the discard port
        _cli.Variables["Llm__Model"] = "llama3.1";
        _cli.Variables["Llm__TimeoutSeconds"] = "5";

        var result = await _cli.RunAsync("ask", "--json", "--article", SeedArticle, "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.True(json.RootElement.GetProperty("answered").GetBoolean());
        Assert.Contains("sanctions on Cuba and Venezuela", json.RootElement.GetProperty("citations")[0].GetProperty("quote").GetString(), StringComparison.Ordinal);
        Assert.Contains("serving the extractive answer", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _cli.Dispose();
}
