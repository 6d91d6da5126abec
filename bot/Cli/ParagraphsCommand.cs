using System.CommandLine;
using System.Globalization;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot paragraphs [--article PATH] [--json]</c>: the paragraphs as indexed, so readers and
/// editors can check what ¶n refers to. Reads the article only; the embedding model is never loaded.
/// With <c>--verbose</c>, standard error also says which extractor found the story, what the page
/// said about it (byline, date, publisher, address) and every block dropped, with the rule that
/// dropped it.
/// </summary>
internal static class ParagraphsCommand
{
    /// <summary>Dropped blocks are shown up to this many characters, enough to recognise them.</summary>
    private const int MaxDroppedTextLength = 120;

    public static Command Create(CliRuntime runtime)
    {
        var article = CliOptions.Article();
        var json = CliOptions.Json("Print each paragraph as one JSON object on one line");
        var command = new Command("paragraphs", "List the article's paragraphs as CaravanBot numbers them (¶1, ¶2, …)")
        {
            article, json,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation =>
        {
            var loaded = invocation.LoadArticle(parseResult.GetValue(article));
            var asJson = parseResult.GetValue(json);
            foreach (var paragraph in loaded.Paragraphs)
            {
                invocation.Out.WriteLine(asJson
                    ? AnswerFormatter.JsonLine(w =>
                    {
                        w.WriteStartObject();
                        w.WriteNumber("paragraph", paragraph.Number);
                        w.WriteString("kind", KindName(paragraph.Kind));
                        w.WriteString("text", paragraph.Text);
                        w.WriteEndObject();
                    })
                    : $"¶{paragraph.Number} {VisibleText.Quote(paragraph.Text)}");
            }

            if (parseResult.GetValue(runtime.Verbose))
            {
                WriteReport(invocation.Environment.Error, loaded);
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    /// <summary>The kind as the JSON output names it: <c>headline</c>, <c>standfirst</c>, <c>body</c>, <c>subhead</c> or <c>caption</c>.</summary>
    internal static string KindName(ParagraphKind kind) => kind.ToString().ToLowerInvariant();

    // Metadata and dropped blocks are the page's own text: like every line printed, they reach the
    // terminal without control characters or bidirectional overrides, and are cut between text elements.
    private static void WriteReport(TextWriter error, Article article)
    {
        var report = article.Ingestion;
        var kinds = string.Join(", ", article.Paragraphs.GroupBy(p => p.Kind).OrderBy(g => g.Key).Select(g => $"{g.Count()} {KindName(g.Key)}"));
        error.WriteLine($"caravanbot: read by {report.Extractor}: {article.Paragraphs.Count} paragraphs kept ({kinds}), {report.Dropped.Count} {(report.Dropped.Count == 1 ? "block" : "blocks")} dropped");

        var metadata = article.Metadata;
        if (!metadata.IsEmpty)
        {
            var fields = new List<string>();
            if (metadata.Byline is not null)
            {
                fields.Add($"byline: {metadata.Byline}");
            }

            if (metadata.Published is { } published)
            {
                fields.Add($"published: {published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
            }

            if (metadata.Publisher is not null)
            {
                fields.Add($"publisher: {metadata.Publisher}");
            }

            if (metadata.CanonicalUrl is not null)
            {
                fields.Add($"url: {metadata.CanonicalUrl}");
            }

            error.WriteLine(CliText.OneLine($"caravanbot: {string.Join(" · ", fields)}"));
        }

        foreach (var dropped in report.Dropped)
        {
            var text = VisibleText.Cut(CliText.OneLine(dropped.Text), MaxDroppedTextLength + 1);
            error.WriteLine($"caravanbot: dropped ({dropped.Rule}): {text}");
        }
    }
}
