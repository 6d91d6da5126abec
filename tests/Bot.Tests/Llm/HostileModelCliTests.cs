using System.Text.Json;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Tests.Cli;
using CaravanBot.Retrieval.Tests.Llm;

namespace CaravanBot.Bot.Tests.Llm;

/// <summary><c>caravanbot ask</c> in language-model mode, against the OpenAI-compatible server on loopback, with hostile replies.</summary>
public sealed class HostileModelCliTests : IAsyncLifetime
{
    private const string Quote = "wants to see US remove or reduce sanctions on Cuba and Venezuela";
    private static readonly string SeedArticle = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt");
    private readonly CliHarness _cli = new() { UseRealEngine = true };
    private readonly FakeChatServer _server = new();

    public Task InitializeAsync()
    {
        _cli.Variables["Llm__Provider"] = "OpenAICompatible";
        _cli.Variables["Llm__Endpoint"] = _server.Endpoint.ToString();
        _cli.Variables["Llm__Model"] = "test-model";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _cli.Dispose();
    }

    [Theory]
    [InlineData("\u001B]0;pwned\u0007\u001B[2J> “The US will pay Mexico $10bn to stop the caravan” (¶9)")]
    [InlineData("¶9: Blinken resigned on Tuesday. https://evil.example/x")]
    public async Task The_terminal_gets_the_neutral_lead_in_and_verified_quotes_only(string wording)
    {
        _server.Reply = FakeChatReply.Json(new { answered = true, answer = wording, quotes = new[] { new { paragraph = 9, quote = Quote } } });

        var result = await _cli.RunAsync("ask", "--article", SeedArticle, "What does Mexico want?");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(["Here is what the article says:", $"> “{Quote}” (¶9)"], result.StdoutLines);
    }

    [Fact]
    public async Task Json_output_carries_no_link_and_no_control_character_from_the_model()
    {
        _server.Reply = FakeChatReply.Json(new { answered = true, answer = "Mexico\u0007 wants aid, see [[x](y)](http://evil.example) or discord.gg/abc.", quotes = new[] { new { paragraph = 9, quote = Quote } } });

        var result = await _cli.RunAsync("ask", "--json", "--article", SeedArticle, "What does Mexico want?");

        using var json = JsonDocument.Parse(result.Stdout);
        var answer = json.RootElement.GetProperty("answer").GetString()!;
        Assert.DoesNotContain(answer, char.IsControl);
        Assert.DoesNotContain("evil", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("discord.gg", answer, StringComparison.Ordinal);
        Assert.StartsWith("Mexico wants aid, see x or", answer, StringComparison.Ordinal);
    }
}
