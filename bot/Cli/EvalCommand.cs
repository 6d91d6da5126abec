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
        var calibrate = new Option<bool>("--calibrate")
        {
            Description = "Instead of scoring, choose the abstention thresholds that score best on the set (prints the top settings)",
        };
        var command = new Command("eval", "Score CaravanBot on a labelled question set")
        {
            article, questions, json, calibrate,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation => RunAsync(
            invocation,
            parseResult.GetValue(article),
            parseResult.GetValue(questions),
            parseResult.GetValue(json),
            parseResult.GetValue(calibrate),
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(
        CliInvocation invocation, string? articlePath, string? questionsPath, bool json, bool calibrate, CancellationToken cancellationToken)
    {
        var set = EvalSet.Load(questionsPath ?? invocation.Environment.DefaultQuestionsPath);
        invocation.StartLoadingModel();
        var defaultArticle = invocation.LoadArticle(articlePath);
        invocation.Progress.Report($"Evaluating {set.Cases.Count} questions from {set.Source}…");

        if (calibrate)
        {
            return await CalibrateAsync(invocation, set, defaultArticle, cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>Answers the set once with abstention off, then sweeps the thresholds (see ThresholdCalibrator).</summary>
    private static async Task<int> CalibrateAsync(CliInvocation invocation, EvalSet set, Retrieval.Articles.Article defaultArticle, CancellationToken cancellationToken)
    {
        var services = invocation.Services;
        var current = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Retrieval.Search.RetrievalOptions>>().Value;
        var factory = new Retrieval.Answering.ArticleAnswererFactory(
            services.GetRequiredService<Retrieval.Embeddings.ISentenceEmbedder>(),
            ThresholdCalibrator.NeverAbstaining(current),
            services.GetRequiredService<Retrieval.Prompts.PromptProvider>());
        var runner = new EvalRunner(factory, services.GetRequiredService<ILogger<EvalRunner>>());
        var run = await runner.RunAsync(set, defaultArticle, cancellationToken).ConfigureAwait(false);
        var settings = ThresholdCalibrator.Sweep(run, current);

        var output = invocation.Out;
        output.WriteLine($"Calibration on {set.Cases.Count} questions from {set.Source}");
        output.WriteLine($"shipped: {new ThresholdSetting(current, 0, 0).Describe()}");
        output.WriteLine("best settings (correct of all questions):");
        foreach (var setting in settings.Take(10))
        {
            output.WriteLine($"  {setting.Correct,4} {setting.Accuracy,7:P1}  {setting.Describe()}");
        }

        return ExitCodes.Success;
    }
}
