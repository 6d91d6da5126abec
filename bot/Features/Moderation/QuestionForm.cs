using System.Text.RegularExpressions;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// What a question asks for, beyond its topic: its question word (who, when, where, why, how many,
/// how far, …, or none for a yes/no question) and whether it is negated. Sentence embeddings place
/// "When will Blinken meet López Obrador?" and "Where will Blinken meet López Obrador?" at cosine 0.94,
/// and "What does Mexico want?" and "What does Mexico not want?" at 0.86: two questions count as
/// meaning the same only if these agree as well (<see cref="CorrectionMatcher"/>).
/// </summary>
public static partial class QuestionForm
{
    /// <summary>The question as the matcher embeds it: lower case, punctuation and extra spaces removed.</summary>
    /// <remarks>
    /// The packaged MiniLM tokenizer keeps case, so "where did migrant families spend christmas day"
    /// scored 0.75 against "Where did the families spend Christmas?"; normalised, 0.80.
    /// </remarks>
    public static string Normalise(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        // A typographic apostrophe ("doesn’t") must not split the word, or the negation is lost.
        return NonWord().Replace(question.Replace('\u2019', '\'').ToLowerInvariant(), " ").Trim();
    }

    /// <summary>The question word class: "who", "when", "where", "why", "how many", "how", "what", …; "yes/no" when there is none.</summary>
    public static string QuestionWord(string question)
    {
        var match = QuestionWordPattern().Match(Normalise(question));
        if (!match.Success)
        {
            return "yes/no";
        }

        return match.Value switch
        {
            "whom" or "whose" => "who",
            "which" => "what",
            "how much" => "how many",
            _ => match.Value,
        };
    }

    /// <summary>True when the question contains a negation (not, no, never, n't).</summary>
    public static bool IsNegated(string question) => Negation().IsMatch(Normalise(question));

    /// <summary>True when both questions ask with the same question word and agree in negation.</summary>
    public static bool SameForm(string first, string second) =>
        QuestionWord(first) == QuestionWord(second) && IsNegated(first) == IsNegated(second);

    [GeneratedRegex(@"[^\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex NonWord();

    [GeneratedRegex(@"\b(how many|how much|how far|how long|how old|who|whom|whose|when|where|why|how|what|which)\b", RegexOptions.CultureInvariant)]
    private static partial Regex QuestionWordPattern();

    [GeneratedRegex(@"\b(not|no|never|nothing|nobody)\b|n't\b", RegexOptions.CultureInvariant)]
    private static partial Regex Negation();
}
