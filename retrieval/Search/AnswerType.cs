using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>What kind of fact a question asks for, read from its question words.</summary>
[Flags]
public enum AnswerType
{
    /// <summary>No particular kind (what, why, how).</summary>
    None = 0,

    /// <summary>A count or amount: "how many", "how much", "how big".</summary>
    Quantity = 1,

    /// <summary>A time: "when", "what day".</summary>
    Time = 2,

    /// <summary>A person or organisation: "who", "whom".</summary>
    Agent = 4,

    /// <summary>A place: "where".</summary>
    Place = 8,
}

/// <summary>
/// Question-type cues and the matching sentence cues, general to English news text. A sentence
/// that can answer the kind of question asked gets a small bonus; nothing here knows any story.
/// </summary>
public static partial class AnswerTypes
{
    /// <summary>The kind of fact the question asks for.</summary>
    public static AnswerType OfQuestion(string question)
    {
        var q = question.ToLowerInvariant();
        var type = AnswerType.None;
        if (QuantityQuestion().IsMatch(q))
        {
            type |= AnswerType.Quantity;
        }

        if (TimeQuestion().IsMatch(q))
        {
            type |= AnswerType.Time;
        }

        if (AgentQuestion().IsMatch(q))
        {
            type |= AnswerType.Agent;
        }

        if (PlaceQuestion().IsMatch(q))
        {
            type |= AnswerType.Place;
        }

        return type;
    }

    /// <summary>The kinds of fact a sentence can supply.</summary>
    public static AnswerType OfSentence(string sentence, bool mentionsActor)
    {
        var type = AnswerType.None;
        if (QuantityCue().IsMatch(sentence))
        {
            type |= AnswerType.Quantity;
        }

        if (TimeCue().IsMatch(sentence))
        {
            type |= AnswerType.Time;
        }

        if (mentionsActor || NameCue().IsMatch(sentence))
        {
            type |= AnswerType.Agent;
        }

        if (PlaceCue().IsMatch(sentence))
        {
            type |= AnswerType.Place;
        }

        return type;
    }

    [GeneratedRegex(@"\bhow (many|much|big|large|far|long|old|often|tall|high)\b|\bwhat (number|percentage|share|proportion|amount|size)\b")]
    private static partial Regex QuantityQuestion();

    [GeneratedRegex(@"\bwhen\b|\bwhat (time|day|date|year|month)\b|\bhow long ago\b")]
    private static partial Regex TimeQuestion();

    [GeneratedRegex(@"\bwho(m|se|'s)?\b|\bwhich (person|people|official|group|organi[sz]ation)\b")]
    private static partial Regex AgentQuestion();

    [GeneratedRegex(@"\bwhere\b|\bwhich (city|country|town|place|region|state|border)\b")]
    private static partial Regex PlaceQuestion();

    [GeneratedRegex(@"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|half|double|twice)\b|[%£$€]", RegexOptions.IgnoreCase)]
    private static partial Regex QuantityCue();

    [GeneratedRegex(@"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|yesterday|today|tonight|tomorrow|week|weekend|month|year|morning|afternoon|evening|night|ago|since|until|christmas|easter|spring|summer|autumn|winter|(19|20)\d\d)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TimeCue();

    [GeneratedRegex(@"\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+")]
    private static partial Regex NameCue();

    [GeneratedRegex(@"\b(in|at|from|to|near|across|along|into|outside|inside|between)\s+(the\s+)?\p{Lu}|\b(border|city|town|village|country|region|street|river|park|station|airport)\b")]
    private static partial Regex PlaceCue();
}
