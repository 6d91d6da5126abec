using CaravanBot.Bot.Cli;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class ParagraphsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Lists_numbered_paragraphs_one_per_line()
    {
        var result = await _cli.RunAsync("paragraphs");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var expected = CliHarness.DefaultArticle.TrimEnd('\n').Split('\n').Select((text, i) => $"¶{i + 1} {text}");
        Assert.Equal(expected, result.StdoutLines);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Json_gives_one_object_per_paragraph_with_number_kind_and_text()
    {
        var article = _cli.WriteFile("small.txt", "Storm hits “Lisbon”\nWaves flooded the harbour, said Inês López.\n\nThird paragraph.\n");

        var result = await _cli.RunAsync("paragraphs", "--article", article, "--json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var lines = result.JsonLines();
        Assert.All(lines, l => Assert.Equal(["paragraph", "kind", "text"], l.EnumerateObject().Select(p => p.Name)));
        Assert.Equal([1, 2, 3], lines.Select(l => l.GetProperty("paragraph").GetInt32()));
        Assert.Equal(["headline", "body", "body"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(
            ["Storm hits “Lisbon”", "Waves flooded the harbour, said Inês López.", "Third paragraph."],
            lines.Select(l => l.GetProperty("text").GetString()));
        Assert.Contains("Inês López", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Never_loads_the_embedding_model()
    {
        var result = await _cli.RunAsync("paragraphs", "--verbose");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Empty(_cli.Answerers.Indexed);
        Assert.DoesNotContain("embedding model", result.Stderr, StringComparison.Ordinal);
    }
}
