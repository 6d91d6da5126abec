using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Search;

/// <summary>What kind of fact a question asks for, and the kinds of fact a sentence can supply.</summary>
[Flags]
public enum AnswerType
{
    /// <summary>No particular kind (what, how, yes/no).</summary>
    None = 0,

    /// <summary>A count: "how many migrants", "how big is the group".</summary>
    Quantity = 1,

    /// <summary>A point in time: "when", "what day", "which year".</summary>
    Time = 2,

    /// <summary>A person or organisation: "who", "whom", "which company".</summary>
    Agent = 4,

    /// <summary>A place: "where", "which city".</summary>
    Place = 8,

    /// <summary>An amount of money: "how much does it cost", "how much was he paid".</summary>
    Money = 16,

    /// <summary>A share: "what percentage".</summary>
    Percent = 32,

    /// <summary>Someone's age: "how old".</summary>
    Age = 64,

    /// <summary>A length of time: "how long will it last", "for how many years".</summary>
    Duration = 128,

    /// <summary>A cause or purpose: "why", "what caused".</summary>
    Reason = 256,

    /// <summary>A physical measure: "how far", "how tall", "how cold".</summary>
    Measure = 512,

    /// <summary>A game's score: "what was the final score".</summary>
    Score = 1024,

    /// <summary>A proper name of anything: "what is the name of", "which drug".</summary>
    Name = 2048,
}

/// <summary>What a question asks for: the kind of fact, and for a count the thing counted.</summary>
/// <param name="Wants">The kinds of fact that would answer it (any one of them).</param>
/// <param name="Counted">For "how many X", the folded head word X; otherwise null.</param>
public sealed record QuestionFrame(AnswerType Wants, string? Counted);

/// <summary>
/// Question-type cues and the matching sentence cues, general to English news text: a question
/// asking "how old" wants an age, and a sentence supplies one when it says "Parise, 35," or "a
/// 43-year-old man". Nothing here knows any story. The cues decide nothing alone: they are
/// features of the learned ranker and of the answerability model.
/// </summary>
public static partial class AnswerTypes
{
    /// <summary>The kind of fact the question asks for.</summary>
    public static AnswerType OfQuestion(string question) => Frame(question).Wants;

    /// <summary>What the question asks for.</summary>
    public static QuestionFrame Frame(string question)
    {
        var q = " " + Words.Fold(question) + " ";
        var type = AnswerType.None;
        string? counted = null;

        if (HowOld().IsMatch(q))
        {
            type |= AnswerType.Age;
        }

        if (HowMuchMoney().IsMatch(q))
        {
            type |= AnswerType.Money;
        }
        else if (HowMany().Match(q) is { Success: true } many)
        {
            type |= AnswerType.Quantity;
            counted = CountedNoun(q[(many.Index + many.Length)..], many.Groups["noun"].Success ? many.Groups["noun"].Value : null);
            if (counted is not null && TimeUnit().IsMatch(counted))
            {
                type |= AnswerType.Duration;
            }
        }

        if (PercentQuestion().IsMatch(q))
        {
            type |= AnswerType.Percent;
        }

        if (HowBig().IsMatch(q))
        {
            type |= AnswerType.Quantity | AnswerType.Measure;
        }

        if (HowMeasure().IsMatch(q))
        {
            type |= AnswerType.Measure;
        }

        if (HowLong().IsMatch(q))
        {
            type |= AnswerType.Duration | AnswerType.Measure;
        }

        if (TimeQuestion().IsMatch(q))
        {
            type |= AnswerType.Time;
        }

        if (ScoreQuestion().IsMatch(q))
        {
            type |= AnswerType.Score;
        }

        if (AgentQuestion().IsMatch(q))
        {
            type |= AnswerType.Agent;
        }

        if (NameQuestion().IsMatch(q))
        {
            type |= AnswerType.Name | AnswerType.Agent;
        }

        if (PlaceQuestion().IsMatch(q))
        {
            type |= AnswerType.Place;
        }

        if (ReasonQuestion().IsMatch(q))
        {
            type |= AnswerType.Reason;
        }

        return new QuestionFrame(type, counted);
    }

    /// <summary>
    /// The thing a "how many" question counts: the last word of the noun phrase after "how many",
    /// which ends at the verb or preposition ("how many honeybee hives are there" → "hives").
    /// </summary>
    private static string? CountedNoun(string rest, string? first)
    {
        // "how much is the levy", "how much does the car weigh": no noun is counted.
        if (first is null || Lexical.FunctionWords.Contains(first) || PhraseEnd().IsMatch(first))
        {
            return null;
        }

        var noun = first;
        foreach (var word in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2))
        {
            var w = word.Trim('?', '.', ',', '!');
            if (w.Length == 0 || Lexical.FunctionWords.Contains(w) || PhraseEnd().IsMatch(w) || LooksLikeVerb(w)
                || (LooksPlural(noun) && !LooksPlural(w)))
            {
                // A plural ends the noun phrase: "how many trains ran", "how many days off work",
                // "how many employees outside the US"; a singular may be a modifier ("school districts").
                break;
            }

            noun = w;
        }

        return noun;
    }

    private static bool LooksLikeVerb(string word) =>
        word.Contains("n't", StringComparison.Ordinal) || (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal));

    private static bool LooksPlural(string word) =>
        IrregularPlurals.Contains(word)
        || (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        || word.EndsWith("ies", StringComparison.Ordinal);

    private static readonly HashSet<string> IrregularPlurals = new(StringComparer.Ordinal)
    {
        "people", "ppl", "staff", "children", "kids", "men", "women", "police", "personnel", "folk", "cattle", "sheep", "deer", "fish", "crew", "troops",
    };

    /// <summary>The kinds of fact a sentence can supply.</summary>
    public static AnswerType OfSentence(string sentence, bool mentionsActor)
    {
        var type = AnswerType.None;
        if (QuantityCue().IsMatch(sentence))
        {
            type |= AnswerType.Quantity;
        }

        if (DateCue().IsMatch(sentence) || ClockCue().IsMatch(sentence))
        {
            type |= AnswerType.Time;
        }

        if (mentionsActor || NameCue().IsMatch(sentence))
        {
            type |= AnswerType.Agent | AnswerType.Name;
        }

        if (PlaceCue().IsMatch(sentence))
        {
            type |= AnswerType.Place;
        }

        if (MoneyCue().IsMatch(sentence))
        {
            type |= AnswerType.Money;
        }

        if (PercentCue().IsMatch(sentence))
        {
            type |= AnswerType.Percent;
        }

        if (AgeCue().IsMatch(sentence))
        {
            type |= AnswerType.Age;
        }

        if (DurationCue().IsMatch(sentence))
        {
            type |= AnswerType.Duration;
        }

        if (ReasonCue().IsMatch(sentence))
        {
            type |= AnswerType.Reason;
        }

        if (MeasureCue().IsMatch(sentence))
        {
            type |= AnswerType.Measure;
        }

        if (ScoreCue().IsMatch(sentence))
        {
            type |= AnswerType.Score;
        }

        return type;
    }

    /// <summary>The kinds of fact whose statement has a place in the sentence (a figure, a date, a sum, a place name), so the words around it tell what it is about.</summary>
    public const AnswerType Placed = AnswerType.Quantity | AnswerType.Time | AnswerType.Money | AnswerType.Percent | AnswerType.Age
        | AnswerType.Duration | AnswerType.Measure | AnswerType.Score | AnswerType.Place;

    /// <summary>
    /// Where the sentence states each kind of fact in <see cref="Placed"/>: the kind and the
    /// character span of its cue ("1,150 people" is a quantity at 37–49).
    /// </summary>
    public static IReadOnlyList<(AnswerType Type, int Start, int End)> Slots(string sentence)
    {
        var slots = new List<(AnswerType, int, int)>();
        void Add(AnswerType type, Regex cue)
        {
            foreach (Match m in cue.Matches(sentence))
            {
                slots.Add((type, m.Index, m.Index + m.Length));
            }
        }

        Add(AnswerType.Quantity, QuantityCue());
        Add(AnswerType.Time, DateCue());
        Add(AnswerType.Time, ClockCue());
        Add(AnswerType.Money, MoneyCue());
        Add(AnswerType.Percent, PercentCue());
        Add(AnswerType.Age, AgeCue());
        Add(AnswerType.Duration, DurationCue());
        Add(AnswerType.Measure, MeasureCue());
        Add(AnswerType.Score, ScoreCue());
        Add(AnswerType.Place, PlaceCue());
        return slots;
    }

    /// <summary>
    /// The figures written within <paramref name="start"/>..<paramref name="end"/> of a sentence
    /// that name one fact wherever they appear (separators dropped): three digits or more, and not a
    /// year ("8,000" is the caravan's size in the headline and the lede; "35" or "2019" may be anything).
    /// </summary>
    public static IReadOnlyList<string> DistinctiveFigures(string sentence, int start, int end) =>
        Figure().Matches(sentence)
            .Where(m => m.Index < end && m.Index + m.Length > start)
            .Select(WithoutSeparators)
            .Where(f => f.Count(char.IsAsciiDigit) >= 3 && !Year().IsMatch(f))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The numbers written in figures in a text, separators dropped: "some 375,000 people" → "375000".</summary>
    public static IReadOnlyList<string> Numbers(string text) =>
        Figure().Matches(text).Select(WithoutSeparators).Distinct(StringComparer.Ordinal).ToArray();

    private static string WithoutSeparators(Match figure) => figure.Value.Replace(",", string.Empty, StringComparison.Ordinal).TrimEnd('.');

    /// <summary>
    /// The folded words that follow a number in the sentence (up to four words on), the things it
    /// counts: "An estimated 8,000-strong group of migrants" → "strong", "group", "migrants".
    /// </summary>
    public static IReadOnlyList<string> CountedWords(string sentence)
    {
        var words = new List<string>();
        foreach (Match m in CountedPhrase().Matches(sentence))
        {
            foreach (var w in Words.Of(m.Groups["after"].Value))
            {
                var key = w.Key;
                if (!Lexical.FunctionWords.Contains(key) && !words.Contains(key))
                {
                    words.Add(key);
                }
            }
        }

        return words;
    }

    [GeneratedRegex(@"\d[\d,]*(?:\.\d+)?")]
    private static partial Regex Figure();

    [GeneratedRegex(@"^(1[89]|20)\d\d$")]
    private static partial Regex Year();

    // Questions (folded, padded with spaces).
    [GeneratedRegex(@"\bhow old\b|\bwhat age\b|\bage of\b|\bhis age\b|\bher age\b|\btheir age\b")]
    private static partial Regex HowOld();

    [GeneratedRegex(@"\bhow much (more |less |extra )?(money|cash|is|was|are|were|will|would|does|did|do|has|have|had|can|could|should|has|s|it|they|he|she|we|you|the|a|an|in|of|for|to|did)\b.*\b(cost|costs|costing|pay|paid|pays|paying|spend|spent|spends|worth|price|priced|charge|charged|earn|earns|earned|make|makes|made|fine|fined|money|cash|fund|funding|funded|budget|raise|raised|valued|value|salary|salaries|wage|wages|ransom|invest|invested|investment|deal|bail|bond|sell|sold|buy|bought|revenue|profit|loss|lose|lost|debt|owe|owed|tax|taxes|fee|fees|grant|bill|dollars|pounds|euros)\b|\bhow many (dollars|pounds|euros|yen|rupees)\b|\bhow much (severance|compensation|rent|ransom|funding|aid|tax|pay|bonus|damages|revenue|profit|debt)\b|\bwhat(?: is| was|'s| s) (?:the |his |her |its |their |[\w-]+'s |[\w-]+ s )?(?:[\w-]+ ){0,2}(price|cost|salary|fine|budget|value|fee|wage|rent|ransom)\b|\bwhat did (?:[\w'-]+ ){1,3}(cost|pay)(?= (?:for|to|in|out|the|him|her|them|us|each|per|a|an|his|its|their)\b|[?.!]? *$)")]
    private static partial Regex HowMuchMoney();

    [GeneratedRegex(@"\bhow (many|much)\b(?: (?:more|fewer|less|of|the|their|his|her|its|new|other|extra|total))*(?: (?<noun>[a-z][a-z'-]*))?|\b(number|total|count|amount) of\b|\bwhat (number|amount|total)\b")]
    private static partial Regex HowMany();

    [GeneratedRegex(@"^(got|get|gets|went|go|goes|came|come|died|die|were|live|lived|work|worked|lost|lose|took|take|showed|show|turned|left|stayed|attended|voted|signed|joined|said|say|has|have|had)$")]
    private static partial Regex PhraseEnd();

    [GeneratedRegex(@"^(second|seconds|minute|minutes|hour|hours|day|days|week|weeks|month|months|year|years|decade|decades|night|nights|time|times)$")]
    private static partial Regex TimeUnit();

    [GeneratedRegex(@"\bwhat( [a-z]+)? (percentage|percent|share|proportion|fraction|portion)\b|\bhow much of\b|\bwhat part of\b|\bwhat (dose|dosage|amount|level|rate)\b")]
    private static partial Regex PercentQuestion();

    [GeneratedRegex(@"\bhow (big|large|small|huge|strong|massive)\b|\bwhat size\b|\bthe size of\b")]
    private static partial Regex HowBig();

    [GeneratedRegex(@"\bhow (far|tall|high|heavy|fast|quick|quickly|deep|wide|cold|hot|warm|close|low|long is|long was|long are|long were)\b|\bwhat(?: is| was|'s| s| are| were)? (?:the |its |their |his |her )?(?:top |maximum |max |minimum |average |total )?(distance|height|weight|speed|temperature|depth|range)\b|\bhow much (?:[\w'-]+ ){0,4}weigh(s|ed)?\b")]
    private static partial Regex HowMeasure();

    [GeneratedRegex(@"\bhow long\b(?! ago)|\bfor how many (days|weeks|months|years|hours)\b|\bhow much (longer|time)\b|\bsince when\b|\buntil when\b|\bhow soon\b|\bhow quickly\b")]
    private static partial Regex HowLong();

    [GeneratedRegex(@"^ when\b|\bwhen (is|was|will|did|does|do|are|were|has|have|had|can|could|would|should|s|exactly|precisely)\b|\b(and|or|but|since|until) when\b|\bwhat (time|times|day|days|date|dates|year|month|week|night|season)\b|\bwhich (day|date|year|month|week|years|days|months)\b|\bhow long ago\b|\bwhat years\b|\bby when\b|\bhow soon\b")]
    private static partial Regex TimeQuestion();

    [GeneratedRegex(@"\b(final|the|what|what's|whats|a) score\b|\bscore (of|in) the (game|match)\b|\bwho won\b|\bwin or lose\b|\bby how much\b|\bby how many\b")]
    private static partial Regex ScoreQuestion();

    [GeneratedRegex(@"\bwho(m|se|'s| s)?\b|\bwhich (person|people|persons|official|officials|group|groups|organi[sz]ation|organi[sz]ations|company|companies|firm|firms|team|teams|player|players|man|woman|men|women|agency|agencies|country|countries|leader|leaders|member|members|side|club)\b|\bwhat (company|companies|firm|group|team|agency|organi[sz]ation)\b")]
    private static partial Regex AgentQuestion();

    [GeneratedRegex(@"\bname(s|d)? of\b|\bwhat(?: is| was|'s| s| are| were) (?:[\w'-]+ ){0,3}names?\b|\bcalled\b|\bwhat (brand|model|drug|product|title|law|bill|program|programme|project|plan|ship|vehicle|car)\b|\bwhich (brand|model|drug|product|law|bill|program|programme|project|plan|ship|vehicle|car|steroid|medicine|medication|vaccine|virus|disease|species|company|companies|team|book|film|movie|song|album|game|app|device|phone|rocket|lander|spacecraft|aircraft|plane|jet|jets|bank|school|university|college|party|newspaper|website)\b")]
    private static partial Regex NameQuestion();

    [GeneratedRegex(@"\bwhere\b|\bwhich (city|cities|country|countries|town|towns|place|places|region|regions|state|states|county|counties|border|area|areas|province|district|venue|arena|stadium|hospital|airport|street|neighbo(u)?rhood|continent|market|markets)\b|\bwhat (city|country|town|place|region|state|county|venue|arena|stadium|hospital|airport|street|neighbo(u)?rhood|continent|market|markets)\b|\bfrom what\b")]
    private static partial Regex PlaceQuestion();

    [GeneratedRegex(@"\bwhy\b|\bhow come\b|\bwhat (caused|causes|cause|made|led|prompted|triggered|sparked|is behind|was behind|are the reasons|was the reason|is the reason|reason)\b|\bfor what reason\b|\bwhat for\b|\bthe reason\b")]
    private static partial Regex ReasonQuestion();

    // Sentences (as written).
    [GeneratedRegex(@"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen|dozens|half|third|quarter|double|twice|triple|several|scores)\b", RegexOptions.IgnoreCase)]
    private static partial Regex QuantityCue();

    [GeneratedRegex(@"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|yesterday|today|tonight|tomorrow|weekend|overnight|christmas|easter|thanksgiving|spring|summer|autumn|fall|winter|(18|19|20)\d\d|(18|19|20)\d0s)\b|\b(last|next|this|earlier this|later this|the following|the previous|that) (week|month|year|morning|afternoon|evening|night|season|decade)\b|\b(in|on|by|since|until|before|after|from) (the )?(early|late|mid)?-?(19|20)\d\d\b|\b\d+ (days|weeks|months|years|hours|minutes) (ago|earlier|later|before|after)\b|\b(within|in) (the next |the coming )?(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|a few|a couple of) (days|weeks|months|years|decades)\b(?! of)|\bmay \d|\b\d{1,2} may\b", RegexOptions.IgnoreCase)]
    private static partial Regex DateCue();

    [GeneratedRegex(@"\b\d{1,2}(:\d\d)?\s?(a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d\d\b|\b(noon|midnight|dawn|dusk)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ClockCue();

    [GeneratedRegex(@"\p{Lu}\p{Ll}+\s+\p{Lu}\p{Ll}+|\b(Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Sgt|Capt|Col)\.?\s+\p{Lu}|\b\p{Lu}{2,}\b")]
    private static partial Regex NameCue();

    [GeneratedRegex(@"\b(in|at|from|to|near|across|along|into|outside|inside|between|towards|toward|through|around|throughout)\s+(the\s+)?\p{Lu}|\b(border|city|town|village|country|region|street|river|park|station|airport|county|state|province|district|capital|arena|stadium|center|centre|hospital|island|coast|valley|border)\b|^\p{Lu}[\p{Lu}\s.,]+\s[—–-]", RegexOptions.Multiline)]
    private static partial Regex PlaceCue();

    [GeneratedRegex(@"[$£€¥₹]\s?\d|\b\d[\d,.]*\s?(m|bn|k)?\s?(dollars|pounds|euros|cents|pence|yen|yuan|rupees|francs|pesos|usd|gbp|eur)\b|\b(dollars|pounds|euros)\b|\b\d[\d,.]*\s?(million|billion|trillion)\s+(dollars|pounds|euros)\b|\b(rs\.?|inr|usd|us\$|aed|dhs)\s?\d", RegexOptions.IgnoreCase)]
    private static partial Regex MoneyCue();

    [GeneratedRegex(@"\d\s?(%|percent\b|per cent\b|percentage points?\b)|\b(half|a third|two-thirds|a quarter|three-quarters|majority|minority)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PercentCue();

    [GeneratedRegex(@"\p{Lu}[\p{L}.'’-]+,\s\d{1,3},|\b\d{1,3}[- ]years?[- ]old\b|\baged \d{1,3}\b|\bage (of )?\d{1,3}\b|\bin (his|her|their) (teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b|\b\d{1,3}-year-old", RegexOptions.IgnoreCase)]
    private static partial Regex AgeCue();

    [GeneratedRegex(@"\b(\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|several|few|many|couple of)[- ](second|minute|hour|day|night|week|month|year|decade|century)s?\b(?![- ]old)|\b(for|since|until|till|throughout|over) (the )?(past|last|next|coming)\b|\bsince (the )?\p{Lu}|\bsince (19|20)\d\d\b|\b(indefinitely|permanently|temporarily|overnight|all day|all night|for good|for life)\b|\blife (sentence|in prison)\b|\b\d+ (to|-) \d+ (days|weeks|months|years)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DurationCue();

    [GeneratedRegex(@"\b(because|due to|owing to|thanks to|as a result|result of|resulting|in order to|so that|so as to|aimed at|in an effort to|in a bid to|to help|to prevent|to avoid|to reduce|to protect|to cut|to curb|to stop|to ensure|to address|to improve|amid|citing|cited|over concerns|concerns? (about|over|that)|fears? (of|that|about)|for fear|caused by|causing|cause|led to|leading to|blamed|blame|reason|why|risk of|could (spark|set|cause|lead|trigger)|triggered|sparked|prompted|after|since|following|as part of|part of an effort|in response to|response to|motivated|driven by|that way|enables?|enabling)\b|\bwith\b[^.,;:]{1,60}\bin mind\b|\b(?:to|with|from) (?:an? |his |her |their )?(?:\p{L}+ )?(?:injury|injuries|illness|infection)\b|(?<!\b(?:such|well|same|much|just|long|soon|far|many|so|known|seen|serve[sd]?|serving|act(?:s|ed)?|work(?:s|ed)?) )\bas (?!(?:a|an|well|part|much|many|long|soon|far|if|though|of|to|for|it|its|his|her|their|they|he|she|we|you|i|is|was|are|were)\b)(?:\p{L}[\p{L}'’-]* ){1,4}(?:was|were|is|are|has|have|had|will|would|could|continued?|grew|grows|rose|rises|fell|falls)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReasonCue();

    [GeneratedRegex(@"\d[\d,.]*\s?-?(miles?|mi|km|kilomet(re|er)s?|met(re|er)s?|m|feet|foot|ft|inch(es)?|in|yards?|pounds?|lbs?|kg|kilograms?|grams?|tons?|tonnes?|degrees?|°|mph|km/h|kph|knots?|gallons?|lit(re|er)s?|acres?|hectares?|square|cubic|horsepower|hp|kw|kwh|mw|gw|gigawatts?|megawatts?|volts?|watts?)\b|\d\s?°|\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)-(mile|foot|meter|metre|inch|storey|story)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MeasureCue();

    [GeneratedRegex(@"\b\d{1,3}-\d{1,3}\b(?!-)|\b(beat|beats|defeated|won|lost|win|loss|victory|draw|drew|tied)\b.*\b\d{1,3}-\d{1,3}\b", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreCue();

    [GeneratedRegex(@"(?:\d[\d,.]*(?:-\w+)?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|dozens|several)\b)(?<after>(?:[\s-]+[\p{L}’'-]+){1,4})", RegexOptions.IgnoreCase)]
    private static partial Regex CountedPhrase();
}
