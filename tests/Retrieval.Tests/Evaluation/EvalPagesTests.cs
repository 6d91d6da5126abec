using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Evaluation;

public sealed class EvalPagesTests : IDisposable
{
    // Under the test output folder, so the shared benchmark beside the repository is found above it.
    private readonly string _directory = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "evalpages-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void An_item_may_list_alternative_phrases_and_any_one_of_them_counts()
    {
        const string Text = """
            {"id": "x-001", "question": "Why is the utility cutting the power?", "expect": [["sparks that could set catastrophic fires", "extreme fire weather"], "375,000 people"]}
            """;

        var evalCase = EvalSet.Parse(Text, "q.jsonl", _directory).Cases.Single();

        Assert.Equal(2, evalCase.ExpectedItems.Count);
        Assert.Equal(["sparks that could set catastrophic fires", "extreme fire weather"], evalCase.ExpectedItems[0]);
        Assert.Equal(["sparks that could set catastrophic fires", "375,000 people"], evalCase.ExpectedPhrases);
    }

    [Fact]
    public void A_page_named_in_pages_json_is_read_from_the_shared_benchmark()
    {
        var benchmark = EvalPages.FindBenchmarkFolder(AppContext.BaseDirectory);
        Assert.True(benchmark is not null, $"../{EvalPages.BenchmarkFolder}/ is missing beside the repository");
        var id = Directory.GetFiles(Path.Combine(benchmark, "html"), "7a457a4f71*.html.gz").Single();
        var page = Path.GetFileName(id)[..^".html.gz".Length];
        File.WriteAllText(Path.Combine(_directory, "pages.json"), "{\"omar\": {\"page\": \"" + page + "\", \"split\": \"test\", \"topic\": \"courts\", \"url\": \"https://example.org\"}}");
        var set = EvalSet.Parse("""{"id": "o-1", "article": "omar", "question": "Who pleaded guilty?", "expect": ["Patrick W. Carlineo Jr."]}""", "q.jsonl", _directory);

        var article = EvalRunner.ReadArticle(set, "omar", ArticleReader.ReadText("Unused\nUnused text.", "default"), ArticleReader.ReadFile);

        Assert.Contains(article.Paragraphs, p => p.Text.Contains("pleaded guilty", StringComparison.Ordinal));
        Assert.Equal("test", EvalPages.Load(_directory).Pages["omar"].Split);
    }

    [Fact]
    public void Without_the_shared_folder_a_page_is_refused_in_one_line_naming_the_folder()
    {
        // A set in a folder with no shared benchmark above it (the temporary folder's root).
        var lonely = Path.Combine(Path.GetPathRoot(_directory)!, "tmp", "caravanbot-nowhere-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(lonely);
        try
        {
            File.WriteAllText(Path.Combine(lonely, "pages.json"), """{"omar": {"page": "abc", "split": "test", "topic": "courts", "url": "u"}}""");

            var error = Assert.Throws<EvalSetException>(() => EvalPages.Load(lonely).FindPage("omar"));

            Assert.Contains("shared/benchmarks/article-extraction/", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        }
        finally
        {
            Directory.Delete(lonely, recursive: true);
        }
    }
}
