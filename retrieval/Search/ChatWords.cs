using System.Text;

namespace CaravanBot.Retrieval.Search;

/// <summary>
/// Spells out the shorthand readers type in chat ("how many ppl r gettin laid off" → "how many
/// people are getting laid off") before the question is searched. General English chat usage
/// only: nothing here knows any article. A word is replaced only when it stands alone, so "r" in
/// "R&amp;B" or "u" in "U.S." is left as it is (those are not separate words).
/// </summary>
public static class ChatWords
{
    private static readonly Dictionary<string, string> Expansions = new(StringComparer.Ordinal)
    {
        ["u"] = "you", ["ur"] = "your", ["r"] = "are", ["y"] = "why", ["n"] = "and", ["b4"] = "before",
        ["ppl"] = "people", ["pple"] = "people", ["peeps"] = "people", ["ppls"] = "people",
        ["wich"] = "which", ["whic"] = "which", ["wat"] = "what", ["wut"] = "what", ["wht"] = "what", ["whats"] = "what is", ["wats"] = "what is",
        ["wen"] = "when", ["whn"] = "when", ["wher"] = "where", ["whr"] = "where", ["wheres"] = "where is",
        ["hw"] = "how", ["hows"] = "how is", ["whos"] = "who is", 
        ["nxt"] = "next", ["abt"] = "about", ["bout"] = "about", ["cuz"] = "because", ["coz"] = "because",
        ["bc"] = "because", ["becuz"] = "because", ["bcuz"] = "because", ["tho"] = "though", ["thru"] = "through",
        ["w/"] = "with", ["w/o"] = "without", ["wo/"] = "without", ["smth"] = "something", ["sth"] = "something",
        ["sb"] = "somebody", ["govt"] = "government", ["dept"] = "department",
        ["pls"] = "please", ["plz"] = "please", ["thx"] = "thanks", ["ty"] = "thank you",
        ["gonna"] = "going to", ["wanna"] = "want to", ["gotta"] = "got to", ["kinda"] = "kind of",
        ["dunno"] = "do not know", ["lemme"] = "let me", ["gimme"] = "give me", ["tryna"] = "trying to",
        ["yr"] = "year", ["yrs"] = "years", ["wk"] = "week", ["wks"] = "weeks",
        ["hr"] = "hour", ["hrs"] = "hours", ["min"] = "minute", ["mins"] = "minutes", ["sec"] = "second",
        ["tmrw"] = "tomorrow", ["tmr"] = "tomorrow", ["tmw"] = "tomorrow", ["2day"] = "today", ["tonite"] = "tonight",
        ["yday"] = "yesterday", ["ystd"] = "yesterday", ["2morrow"] = "tomorrow",
        ["msg"] = "message", ["pic"] = "picture", ["pics"] = "pictures", ["vid"] = "video", ["vids"] = "videos",
        ["info"] = "information", ["approx"] = "approximately", ["avg"] = "average", ["num"] = "number",
        ["amt"] = "amount", ["ppm"] = "parts per million", ["km"] = "kilometres",
        ["k"] = "thousand", ["mil"] = "million", ["bil"] = "billion", ["bn"] = "billion", ["m"] = "million",
        ["didnt"] = "did not", ["doesnt"] = "does not", ["dont"] = "do not", ["isnt"] = "is not", ["wasnt"] = "was not",
        ["arent"] = "are not", ["werent"] = "were not", ["cant"] = "cannot", ["couldnt"] = "could not",
        ["wont"] = "will not", ["wouldnt"] = "would not", ["shouldnt"] = "should not", ["hasnt"] = "has not",
        ["havent"] = "have not", ["hadnt"] = "had not", ["im"] = "i am", ["ive"] = "i have", ["theyre"] = "they are",
        ["hes"] = "he is", ["shes"] = "she is", ["thats"] = "that is", ["theres"] = "there is",
        ["teh"] = "the", ["tha"] = "the", ["dis"] = "this", ["dat"] = "that", 
        ["wit"] = "with", ["frm"] = "from", ["shud"] = "should", ["wud"] = "would", ["cud"] = "could",
        ["ne1"] = "anyone", ["any1"] = "anyone", ["some1"] = "someone", ["every1"] = "everyone", ["no1"] = "no one",
    };

    /// <summary>The text with each chat shorthand word written out; other characters are kept.</summary>
    public static string Expand(string text)
    {
        StringBuilder? builder = null;
        var last = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '/' or '\'' || (text[i] == '.' && start >= 0 && i + 1 < text.Length && char.IsLetter(text[i + 1])));
            if (inWord)
            {
                if (start < 0)
                {
                    start = i;
                }

                continue;
            }

            if (start >= 0)
            {
                var word = text[start..i];
                if (Expansions.TryGetValue(word.ToLowerInvariant(), out var expansion) && !IsAcronymUse(word) && !DroppedG(word, out _))
                {
                    builder ??= new StringBuilder(text.Length + 16);
                    builder.Append(text, last, start - last).Append(expansion);
                    last = i;
                }
                else if (DroppedG(word, out var full))
                {
                    builder ??= new StringBuilder(text.Length + 16);
                    builder.Append(text, last, start - last).Append(full);
                    last = i;
                }

                start = -1;
            }
        }

        return builder is null ? text : builder.Append(text, last, text.Length - last).ToString();
    }

    // "US", "UK", "M" as capitals are names and units, not chat: only lower-case shorthand is expanded.
    private static bool IsAcronymUse(string word) => word.Any(char.IsUpper);

    // Spoken "-in'" / "-in" for "-ing": "gettin" → "getting", "thinkin" → "thinking". Only long
    // lower-case words ending in a consonant + "in" whose "-ing" form is plausible.
    private static bool DroppedG(string word, out string full)
    {
        full = word;
        var bare = word.TrimEnd('\'');
        if (bare.Length < 6 || !bare.EndsWith("in", StringComparison.Ordinal) || bare.Any(char.IsUpper)
            || "aeiou".Contains(bare[^3], StringComparison.Ordinal) || !bare.All(char.IsLetter))
        {
            return false;
        }

        // Common English words that really end in "-in": leave them.
        if (RealInWords.Contains(bare))
        {
            return false;
        }

        full = bare + "g";
        return true;
    }

    private static readonly HashSet<string> RealInWords = new(StringComparer.Ordinal)
    {
        "within", "begin", "margin", "origin", "cousin", "robin", "basin", "cabin", "muslin", "vermin", "raisin",
        "toxin", "penguin", "dolphin", "goblin", "pumpkin", "napkin", "violin", "insulin", "aspirin", "protein",
        "kremlin", "berlin", "dublin", "lincoln", "martin", "austin", "justin", "dustin", "kevin", "calvin",
        "franklin", "latin", "satin", "tintin", "bulletin", "heroin", "porcelain", "villain", "mountain",
        "captain", "certain", "curtain", "bargain", "fountain", "britain", "stalin", "putin", "rankin",
        "joplin", "caffeine", "hemoglobin", "globin", "catkin", "bodkin", "gremlin", "zeppelin", "mandolin",
    };
}
