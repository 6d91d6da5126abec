using System.CommandLine;
using System.Globalization;
using CaravanBot.Retrieval.Evaluation;
using CaravanBot.Retrieval.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot eval [--article PATH] [--questions PATH]… [--json] [--train MODEL [--seeds N]]</c>: runs
/// labelled question sets and prints accuracy, quote fidelity, latency and the failures; with
/// <c>--train</c>, fits the answer model on the set instead and writes it.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var article = CliOptions.Article();
        var questions = new Option<string[]>("--questions")
        {
            Description = "A labelled question set, JSON Lines; repeat for several (default: the bundled dev set, its tuning half eval/tune.jsonl then its held-out half eval/test.jsonl)",
            HelpName = "PATH",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = CliOptions.Json("Print each set's report as one JSON object per line");
        var train = new Option<string?>("--train")
        {
            Description = "Instead of scoring, fit the ranker and the answerability model on the set (default: the tuning half) and write them to MODEL (retrieval/Ranking/answer-model.json in the repository)",
            HelpName = "MODEL",
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = "With --train: also cross-validate N-1 more times, each with its own split of the articles into folds and its own seeds for the answerability trees, and print the best merit of each and their mean (the model written is the same)",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        seeds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 20)
            {
                result.AddError("--seeds must be between 1 and 20");
            }
        });
        var command = new Command("eval", "Score CaravanBot on labelled question sets, or fit its answer model")
        {
            article, questions, json, train, seeds,
        };
        command.SetAction((parseResult, cancellationToken) => runtime.RunAsync(parseResult, invocation => RunAsync(
            invocation,
            parseResult.GetValue(article),
            parseResult.GetValue(questions) ?? [],
            parseResult.GetValue(json),
            parseResult.GetValue(train),
            parseResult.GetValue(seeds),
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(
        CliInvocation invocation, string? articlePath, string[] questionsPaths, bool json, string? trainPath, int seedSets, CancellationToken cancellationToken)
    {
        if (trainPath is null && seedSets != 1)
        {
            throw new CliUsageException("--seeds goes with --train");
        }

        if (trainPath is not null && questionsPaths.Length > 1)
        {
            throw new CliUsageException("--train fits on one question set: give at most one --questions");
        }

        var paths = questionsPaths.Length > 0 ? questionsPaths
            : trainPath is not null ? [invocation.Environment.TuneQuestionsPath]
            : [invocation.Environment.TuneQuestionsPath, invocation.Environment.TestQuestionsPath];
        var sets = paths.Select(EvalSet.Load).ToArray();
        invocation.StartLoadingModel();
        var defaultArticle = invocation.LoadArticle(articlePath);
        var reader = invocation.Services.GetRequiredService<IArticleReader>();

        if (trainPath is not null)
        {
            return Train(invocation, paths[0], sets[0], defaultArticle, reader, trainPath, seedSets, cancellationToken);
        }

        var runner = new EvalRunner(
            invocation.OpenAnswerer,
            reader.ReadFile,
            invocation.Services.GetRequiredService<ILogger<EvalRunner>>());
        for (var i = 0; i < sets.Length; i++)
        {
            invocation.Progress.Report($"Evaluating {sets[i].Cases.Count} questions from {sets[i].Source}…");
            var report = await runner.RunAsync(sets[i], defaultArticle, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                invocation.Out.WriteLine(EvalReportFormatter.ToJson(report, sets[i].Source));
            }
            else
            {
                if (i > 0)
                {
                    invocation.Out.WriteLine();
                }

                EvalReportFormatter.WriteTable(invocation.Out, report, sets[i].Source);
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Fits the answer model (see AnswerModelTrainer) and prints the cross-validated settings it chose from.</summary>
    private static int Train(
        CliInvocation invocation, string path, EvalSet set, Retrieval.Articles.Article defaultArticle, IArticleReader reader, string output, int seedSets, CancellationToken cancellationToken)
    {
        var services = invocation.Services;
        invocation.Progress.Report($"Fitting the answer model on {set.Cases.Count} questions from {set.Source}…");
        var outcome = TrainingSet.Train(
            path,
            set,
            defaultArticle,
            services.GetRequiredService<Retrieval.Answering.ArticleAnswererFactory>().Embedder,
            services.GetRequiredService<IOptions<RetrievalOptions>>().Value,
            reader.ReadFile,
            cancellationToken,
            seedSets);

        var temporary = output + ".tmp";
        using (var file = File.Create(temporary))
        {
            outcome.Model.Write(file);
        }

        File.Move(temporary, output, overwrite: true);

        var o = invocation.Out;
        var model = outcome.Model;
        o.WriteLine($"Answer model fitted on {set.Cases.Count} questions ({model.TrainedOn.Articles} articles) from {set.Source}; written to {output}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"chosen: answer threshold {model.AnswerThreshold:0.000}, supporting ratio {model.SupportingRatio:0.00}, off-topic below {model.OffTopicThreshold:0.00}"));
        o.WriteLine($"ranking alone, article-grouped cross-validation: the quotes cover {outcome.QuotedRight} of {outcome.CrossValidated[0].Answerable} answerable questions");
        o.WriteLine("best settings, article-grouped cross-validation (correct answers, correct abstentions, wrong answers, accuracy; chosen by most right less a quarter per wrong answer):");
        foreach (var s in outcome.CrossValidated.Take(10))
        {
            o.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  ratio {s.SupportingRatio:0.00} threshold {s.AnswerThreshold:0.000}: {s.CorrectAnswers}/{s.Answerable}, {s.CorrectAbstentions}/{s.Abstentions}, {s.WrongAnswers} wrong, {s.Accuracy:P1}"));
        }

        if (outcome.MeritBySeeds.Count > 1)
        {
            o.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"best merit with {outcome.MeritBySeeds.Count} seed sets (each its own split of the articles into folds and its own seeds for the answerability trees; the first is the shipped fit's): {string.Join(", ", outcome.MeritBySeeds.Select(m => m.ToString("0.00", CultureInfo.InvariantCulture)))}; mean {outcome.MeritBySeeds.Average():0.00} (compare feature sets by the mean, seed set by seed set)"));
        }

        return ExitCodes.Success;
    }
}
