using System.Collections.Concurrent;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;
using Microsoft.Extensions.Logging;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>A four-paragraph article: a headline and three one-sentence body paragraphs.</summary>
internal static class TestArticle
{
    public const string Headline = "Migrant caravan heads for US border";
    public const string Mexico = "Mexico wants sanctions on Cuba and Venezuela lifted and “development aid” for the region, said Andrés Manuel López Obrador.";
    public const string Families = "Families slept on scraps of plastic in Tapachula on Christmas Day.";
    public const string Blinken = "Blinken will meet officials in Mexico City on Wednesday.";

    public static Article Article { get; } = Create(Headline, Mexico, Families, Blinken);

    public static Article Create(params string[] paragraphs) => new()
    {
        Source = "test",
        Paragraphs = paragraphs.Select((text, i) => new Paragraph
        {
            Number = i + 1,
            Text = text,
            Kind = i == 0 ? ParagraphKind.Headline : ParagraphKind.Body,
            Sentences = [new TextSpan(0, text.Length)],
        }).ToArray(),
    };
}

/// <summary>
/// Answers with fixed <see cref="Answer"/>s and records the questions. By default a question quotes
/// ¶2 and ¶4; <see cref="Respond"/> replaces that, <see cref="Gate"/> holds answers back.
/// </summary>
internal sealed class FixedAnswerService : IAnswerService, IAnswerLatencyHint
{
    public const string LeadIn = "Here is what the article says:";
    public const string NotInArticle = "Sorry, the article does not say, so I won't guess.";

    public ConcurrentQueue<string> Questions { get; } = new();

    public Func<string, Answer> Respond { get; set; } = DefaultAnswer;

    /// <summary>When set, every answer waits for it.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, answering blocks the calling thread until it is set, as the CPU-bound engine occupies one.</summary>
    public ManualResetEventSlim? BlockingGate { get; set; }

    /// <summary>When set, each answer first awaits what it returns for its question.</summary>
    public Func<string, Task>? Before { get; set; }

    public bool MayMissInteractionDeadline { get; set; }

    public async Task<Answer> AskAsync(string question, CancellationToken cancellationToken = default)
    {
        Questions.Enqueue(question);
        BlockingGate?.Wait(cancellationToken);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Before is { } before)
        {
            await before(question).WaitAsync(cancellationToken);
        }

        return Respond(question);
    }

    public static Answer DefaultAnswer(string question) => Answered(
        question,
        new Citation(2, TestArticle.Mexico, 0, TestArticle.Mexico.Length),
        new Citation(4, TestArticle.Blinken, 0, TestArticle.Blinken.Length));

    public static Answer Answered(string question, params Citation[] citations) => new()
    {
        Question = question,
        Answered = true,
        Text = LeadIn,
        Citations = citations,
        LatencyMs = 1.5,
    };

    public static Answer Abstained(string question) => new()
    {
        Question = question,
        Answered = false,
        Reason = AbstentionReason.NotInArticle,
        Text = NotInArticle,
        Citations = [],
    };
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
