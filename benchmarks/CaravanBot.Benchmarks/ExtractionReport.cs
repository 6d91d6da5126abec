using System.Globalization;
using CaravanBot.Retrieval.Ingestion.Benchmark;

namespace CaravanBot.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/CaravanBot.Benchmarks -- extraction [--predictions PATH] [--pages]</c>:
/// reads the 181 pages of the article-extraction benchmark in this process and prints score.py's
/// line for all of them, for the halves rules were tuned on (ids 0–7…) and checked on (8–f…), and
/// the time taken. <c>--predictions</c> also writes the predictions for <c>score.py</c>;
/// <c>--pages</c> lists each page's precision, recall and refusal reason, worst first.
/// </summary>
internal static class ExtractionReport
{
    public static int Run(string[] args)
    {
        var folder = ExtractionBenchmark.Locate(AppContext.BaseDirectory) ?? ExtractionBenchmark.Locate(Directory.GetCurrentDirectory());
        if (folder is null)
        {
            Console.Error.WriteLine($"extraction: the benchmark is missing: {ExtractionBenchmark.RelativeFolder} beside the checkout");
            return 3;
        }

        var run = ExtractionBenchmark.Run(folder);
        Console.WriteLine($"all:   {run.Score.ToScoreLine()}");
        Console.WriteLine($"tune:  {run.ScoreWhere(IsTuningPage).ToScoreLine()}   (ids starting 0-7)");
        Console.WriteLine($"check: {run.ScoreWhere(id => !IsTuningPage(id)).ToScoreLine()}   (ids starting 8-f)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"time:  {run.Elapsed.TotalSeconds:F2} s for {run.Pages.Count} pages ({run.Elapsed.TotalMilliseconds / run.Pages.Count:F1} ms a page)"));

        var predictions = Option(args, "--predictions");
        if (predictions is not null)
        {
            using var output = File.Create(predictions);
            run.WritePredictions(output);
        }

        if (args.Contains("--pages"))
        {
            foreach (var page in run.Pages
                .Select(p => (Page: p, Counts: ExtractionScore.Compute([(p.Truth, p.Predicted)])))
                .OrderBy(p => p.Counts.F1))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{page.Page.Id[..12]} F1 {page.Counts.F1:F3} P {page.Counts.Precision:F3} R {page.Counts.Recall:F3}{(page.Page.Error is null ? string.Empty : " " + page.Page.Error)}"));
            }
        }

        return 0;
    }

    /// <summary>The half of the pages the ingestion rules were developed on; the other half checks them.</summary>
    public static bool IsTuningPage(string id) => id[0] is >= '0' and <= '7';

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
