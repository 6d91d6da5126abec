using System.CommandLine;
using CaravanBot.Retrieval.Evaluation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot eval [--article PATH] [--questions PATH] [--json]</c>: runs a labelled question set
/// and prints accuracy, quote fidelity, latency and the failures.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var article = CliOptions.Article();
        var questions = new Option<string?>("--questions")
        {
            Description = "The labelled questions, JSON Lines (default: the bundled dev set eval/questions.jsonl)",
            HelpName = "PATH",
        };
        var json = CliOptions.Json("Print the report as one JSON object");
        var command = new Command("eval", "Score CaravanBot on a labelled question set")
        {
            article, questions, json,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation => RunAsync(
            invocation,
            parseResult.GetValue(article),
            parseResult.GetValue(questions),
            parseResult.GetValue(json),
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(
        CliInvocation invocation, string? articlePath, string? questionsPath, bool json, CancellationToken cancellationToken)
    {
        var set = EvalSet.Load(questionsPath ?? invocation.Environment.DefaultQuestionsPath);
        var defaultArticle = invocation.LoadArticle(articlePath);
        invocation.Progress.Report($"Evaluating {set.Cases.Count} questions from {set.Source}…");

        var reader = invocation.Services.GetRequiredService<IArticleReader>();
        var runner = new EvalRunner(
            invocation.OpenAnswerer,
            reader.ReadFile,
            invocation.Services.GetRequiredService<ILogger<EvalRunner>>());
        var report = await runner.RunAsync(set, defaultArticle, cancellationToken).ConfigureAwait(false);

        if (json)
        {
            invocation.Out.WriteLine(EvalReportFormatter.ToJson(report, set.Source));
        }
        else
        {
            EvalReportFormatter.WriteTable(invocation.Out, report, set.Source);
        }

        return ExitCodes.Success;
    }
}
