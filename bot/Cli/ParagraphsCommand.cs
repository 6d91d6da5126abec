using System.CommandLine;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot paragraphs [--article PATH] [--json]</c>: the paragraphs as indexed, so readers and
/// editors can check what ¶n refers to. Reads the article only; the embedding model is never loaded.
/// </summary>
internal static class ParagraphsCommand
{
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
                        w.WriteString("text", paragraph.Text);
                        w.WriteEndObject();
                    })
                    : $"¶{paragraph.Number} {Retrieval.Articles.VisibleText.Quote(paragraph.Text)}");
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
