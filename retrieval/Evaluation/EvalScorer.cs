using System.Text;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Evaluation;

/// <summary>
/// Judges one answer against its labelled case. An answer is correct when the bot answered and
/// every expected phrase occurs in its quotes; an abstention is correct when one was expected.
/// </summary>
public static class EvalScorer
{
    /// <summary>Scores <paramref name="answer"/> for <paramref name="evalCase"/>; citations are verified against <paramref name="article"/>.</summary>
    public static EvalCaseResult Score(EvalCase evalCase, Answer answer, Article article)
    {
        var verified = answer.Citations.Count(c => IsVerbatim(c, article));
        IReadOnlyList<string> missing = [];
        EvalOutcome outcome;
        if (evalCase.ExpectsAbstention)
        {
            outcome = answer.Answered ? EvalOutcome.UnwantedAnswer : EvalOutcome.CorrectAbstention;
        }
        else if (!answer.Answered)
        {
            outcome = EvalOutcome.MissedAnswer;
            missing = evalCase.ExpectedPhrases;
        }
        else
        {
            // Quotes are joined with a space, so a phrase that runs from the end of one quote into
            // the next still counts: readers see the quotes one after another.
            var quoted = Normalize(string.Join(' ', answer.Citations.Select(c => c.Quote)));
            missing = evalCase.ExpectedItems
                .Where(item => !item.Any(p => quoted.Contains(Normalize(p), StringComparison.Ordinal)))
                .Select(item => item[0])
                .ToArray();
            outcome = missing.Count == 0 ? EvalOutcome.CorrectAnswer : EvalOutcome.IncompleteAnswer;
        }

        bool? reasonMatched = evalCase.ExpectsAbstention && evalCase.ExpectedReason is { } expected
            ? !answer.Answered && answer.Reason == expected
            : null;

        return new EvalCaseResult
        {
            Case = evalCase,
            Answer = answer,
            Outcome = outcome,
            MissingPhrases = missing,
            VerifiedCitations = verified,
            ReasonMatched = reasonMatched,
        };
    }

    /// <summary>True when the citation's quote is exactly the text it points at in the article.</summary>
    public static bool IsVerbatim(Citation citation, Article article)
    {
        var paragraph = article.GetParagraph(citation.Paragraph);
        return paragraph is not null
            && citation.Start >= 0
            && citation.Start <= citation.End
            && citation.End <= paragraph.Text.Length
            && string.Equals(paragraph.Text[citation.Start..citation.End], citation.Quote, StringComparison.Ordinal);
    }

    /// <summary>
    /// Folds case, runs of white space (non-breaking included) and curly quotes, so labelled phrases
    /// match however the article typesets them.
    /// </summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var raw in text)
        {
            if (char.IsWhiteSpace(raw))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(raw switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' => '"',
                _ => char.ToLowerInvariant(raw),
            });
        }

        return builder.ToString();
    }
}

/// <summary>How a reply compared with its label.</summary>
public enum EvalOutcome
{
    /// <summary>Answered, and the quotes hold every expected phrase.</summary>
    CorrectAnswer,

    /// <summary>Abstained, as expected.</summary>
    CorrectAbstention,

    /// <summary>Answered, but some expected phrase is not in the quotes.</summary>
    IncompleteAnswer,

    /// <summary>Abstained where an answer was expected.</summary>
    MissedAnswer,

    /// <summary>Answered where an abstention was expected.</summary>
    UnwantedAnswer,
}

/// <summary>One case, the reply it got, and the verdict.</summary>
public sealed record EvalCaseResult
{
    /// <summary>The labelled case.</summary>
    public required EvalCase Case { get; init; }

    /// <summary>The bot's reply.</summary>
    public required Answer Answer { get; init; }

    /// <summary>The verdict.</summary>
    public required EvalOutcome Outcome { get; init; }

    /// <summary>True for a correct answer or a correct abstention.</summary>
    public bool IsCorrect => Outcome is EvalOutcome.CorrectAnswer or EvalOutcome.CorrectAbstention;

    /// <summary>Expected phrases that the quotes do not contain (all of them when the bot abstained).</summary>
    public required IReadOnlyList<string> MissingPhrases { get; init; }

    /// <summary>How many of the reply's citations are verbatim spans of the article.</summary>
    public required int VerifiedCitations { get; init; }

    /// <summary>Whether the abstention reason matched the label; null when the label gives no reason.</summary>
    public bool? ReasonMatched { get; init; }
}
