namespace CaravanBot.Retrieval.Search;

/// <summary>One actor of the article and every way the article refers to it.</summary>
/// <param name="Name">The fullest name the article gives, e.g. "Andrés Manuel López Obrador".</param>
/// <param name="Aliases">Folded phrases that refer to the actor: "lopez obrador", "mexican president", "mexico".</param>
public sealed record Entity(string Name, IReadOnlySet<string> Aliases);

/// <summary>
/// Aliases mined from what the article itself says, never from a list about one story. From
/// "Mexican President Andrés Manuel López Obrador" it learns that "Mr López Obrador", "President
/// López Obrador" and "the Mexican president" are the same man, and, because "Mexican" is the
/// adjective of a place the article names ("Mexico"), that "Mexico" acts through him.
/// Only general English knowledge is built in: honorifics and words for roles and offices.
/// </summary>
public sealed class EntityCatalog
{
    private static readonly HashSet<string> Honorifics = new(StringComparer.Ordinal)
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
    };

    // Words that name an office or a role, and the domains offices are named after.
    private static readonly HashSet<string> RoleWords = new(StringComparer.Ordinal)
    {
        "president", "vice", "secretary", "minister", "prime", "premier", "chancellor", "governor", "mayor",
        "senator", "congressman", "congresswoman", "representative", "councillor", "councilor", "councilman",
        "councilwoman", "advisor", "adviser", "spokesman", "spokeswoman", "spokesperson", "director", "chief",
        "executive", "professor", "judge", "justice", "king", "queen", "prince", "princess", "general",
        "commissioner", "ambassador", "envoy", "chair", "chairman", "chairwoman", "chairperson", "leader",
        "sheriff", "officer", "head", "deputy", "assistant", "attorney", "inspector", "superintendent",
        "captain", "colonel", "lieutenant", "sergeant", "detective", "researcher", "scientist", "economist",
        "analyst", "activist", "organiser", "organizer", "founder", "manager", "coach", "captain",
        "state", "homeland", "security", "defense", "defence", "health", "education", "treasury", "interior",
        "foreign", "affairs", "finance", "transport", "transportation", "energy", "environment", "commerce",
        "labor", "labour", "agriculture", "housing", "immigration", "national", "home", "office", "trade",
        "culture", "police", "army", "navy", "senior", "junior", "lead", "union", "party", "opposition",
        // Abbreviated offices before a name: "U.S. Rep. Ilhan Omar", "Sen. Smith", "Lt. Gov. Jones".
        "defenseman", "defender", "forward", "winger", "goalie", "goalkeeper", "striker", "midfielder",
        "pitcher", "quarterback", "rookie", "veteran", "teammate", "skipper",
        "rep", "sen", "gov", "gen", "lt", "sgt", "capt", "col", "det", "insp", "supt", "pres", "atty", "cmdr", "adm",
    };

    // Generational suffixes after a surname: "Patrick W. Carlineo Jr." is "Carlineo" for short.
    private static readonly HashSet<string> NameSuffixes = new(StringComparer.Ordinal) { "jr", "sr", "ii", "iii", "iv" };

    // Words that may start a capitalised run only because they start a sentence.
    private static readonly HashSet<string> SentenceStarters = new(StringComparer.Ordinal)
    {
        "the", "a", "an", "on", "in", "at", "as", "and", "but", "or", "for", "from", "to", "of", "by", "with",
        "his", "her", "their", "its", "our", "my", "your", "this", "that", "these", "those", "it", "we", "i",
        "he", "she", "they", "when", "while", "after", "before", "if", "since", "until", "according", "there",
        "some", "many", "most", "all", "both", "each", "every", "no", "not", "last", "next", "this", "one",
    };

    private static readonly HashSet<string> Particles = new(StringComparer.Ordinal)
    {
        "de", "del", "da", "di", "dos", "das", "van", "von", "der", "den", "la", "le", "bin", "al", "el", "ibn",
    };

    private static readonly string[] DemonymEndings = ["an", "ian", "n", "ese", "ish", "i", "ic", "er", "egian"];

    private EntityCatalog(IReadOnlyList<Entity> entities)
    {
        Entities = entities;
    }

    /// <summary>The mined actors.</summary>
    public IReadOnlyList<Entity> Entities { get; }

    /// <summary>Indexes of the entities that <paramref name="text"/> mentions through any alias.</summary>
    public IReadOnlyList<int> MentionsIn(string text)
    {
        var phrase = Words.FoldedPhrase(text);
        var found = new List<int>();
        for (var i = 0; i < Entities.Count; i++)
        {
            foreach (var alias in Entities[i].Aliases)
            {
                if (phrase.Contains(" " + alias + " ", StringComparison.Ordinal))
                {
                    found.Add(i);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The alias of entity <paramref name="index"/> that <paramref name="text"/> uses, longest first, or null.</summary>
    public string? AliasUsedIn(int index, string text)
    {
        var phrase = Words.FoldedPhrase(text);
        return Entities[index].Aliases
            .OrderByDescending(a => a.Length)
            .FirstOrDefault(a => phrase.Contains(" " + a + " ", StringComparison.Ordinal));
    }

    /// <summary>
    /// The text with every mention of an actor, under any alias, written as the actor's full name:
    /// "the Mexican president said" → "Andrés Manuel López Obrador said". What the models read,
    /// so that the same person named two ways does not look like two different things. The
    /// longest alias wins where aliases overlap.
    /// </summary>
    public string WithFullNames(string text)
    {
        var words = Words.Of(text).ToArray();
        if (words.Length == 0 || Entities.Count == 0)
        {
            return text;
        }

        var keys = words.Select(w => w.Key).ToArray();
        var replacements = new List<(int Start, int End, string Name)>();
        for (var i = 0; i < words.Length;)
        {
            var best = (Length: 0, Name: string.Empty);
            foreach (var entity in Entities)
            {
                foreach (var alias in entity.Aliases)
                {
                    var parts = alias.Split(' ');
                    if (parts.Length > best.Length && i + parts.Length <= words.Length && parts.AsSpan().SequenceEqual(keys.AsSpan(i, parts.Length)))
                    {
                        best = (parts.Length, entity.Name);
                    }
                }
            }

            if (best.Length == 0)
            {
                i++;
                continue;
            }

            // "the Mexican president", "Mr López Obrador": the article or honorific goes with the mention.
            var start = words[i].Start;
            if (i > 0 && (words[i - 1].Key == "the" || Honorifics.Contains(words[i - 1].Key)) && replacements.All(r => r.End <= words[i - 1].Start))
            {
                start = words[i - 1].Start;
            }

            replacements.Add((start, words[i + best.Length - 1].End, best.Name));
            i += best.Length;
        }

        if (replacements.Count == 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 32);
        var last = 0;
        foreach (var (start, end, name) in replacements)
        {
            builder.Append(text, last, start - last).Append(name);
            last = end;
        }

        return builder.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>Mines the actors of an article from its sentences.</summary>
    public static EntityCatalog Mine(IReadOnlyList<string> sentences)
    {
        var people = new List<Person>();
        var mentions = new List<Mention>();
        var capitalisedWords = new HashSet<string>(StringComparer.Ordinal);

        foreach (var sentence in sentences)
        {
            var words = Words.Of(sentence).ToArray();
            foreach (var w in words.Where(w => w.IsCapitalised && !SentenceStarters.Contains(w.Key)))
            {
                capitalisedWords.Add(w.Text);
            }

            foreach (var run in CapitalisedRuns(sentence, words))
            {
                var mention = Analyse(run, LowercaseRoleBefore(sentence, words, run), RoleInApposition(sentence, words, run));
                if (mention is null)
                {
                    continue;
                }

                mentions.Add(mention);
            }
        }

        // Full names (two or more name words) become people; shorter mentions attach by suffix.
        foreach (var mention in mentions.Where(m => m.Name.Length >= 2).OrderByDescending(m => m.Name.Length))
        {
            var existing = people.FirstOrDefault(p => EndsWithName(p.Name, mention.Name));
            if (existing is null)
            {
                people.Add(existing = new Person(mention.Name));
            }

            existing.Roles.AddRange(mention.Roles);
            if (mention.Honorific is not null)
            {
                existing.Honorifics.Add(mention.Honorific);
            }
        }

        foreach (var mention in mentions)
        {
            var owners = people.Where(p => EndsWithName(p.Name, mention.Name)).ToList();
            if (owners.Count == 1)
            {
                owners[0].Roles.AddRange(mention.Roles);
                if (mention.Honorific is not null)
                {
                    owners[0].Honorifics.Add(mention.Honorific);
                }
                owners[0].Aliases.Add(string.Join(' ', mention.Name.Select(Words.Fold)));
            }
        }

        return new EntityCatalog(people.Select(p => p.ToEntity(people, capitalisedWords)).ToArray());
    }

    /// <summary>True when <paramref name="tail"/> ends <paramref name="full"/>, a generational suffix of it aside ("Carlineo" of "Patrick W. Carlineo Jr.").</summary>
    private static bool EndsWithName(string[] full, string[] tail) =>
        EndsWith(full, tail) || (full.Length > 1 && NameSuffixes.Contains(Words.Fold(full[^1])) && EndsWith(full[..^1], tail));

    private static bool EndsWith(string[] full, string[] tail) =>
        tail.Length <= full.Length && full.AsSpan(full.Length - tail.Length).SequenceEqual(tail);

    /// <summary>A word a reader may type for itself: a dictionary word, a function word ("and" is no short form of "Andrés").</summary>
    private static bool IsEnglishWord(string folded) =>
        Lexical.FunctionWords.Contains(folded) || SentenceStarters.Contains(folded) || Lexical.Thesaurus.Shared.IsCommonWord(folded);

    /// <summary>The last word of a name that is not a generational suffix.</summary>
    private static string Surname(string[] name) =>
        name.Length > 1 && NameSuffixes.Contains(Words.Fold(name[^1])) ? name[^2] : name[^1];

    /// <summary>Runs of capitalised words, joined by particles ("de", "van"), stopping at punctuation.</summary>
    private static IEnumerable<Word[]> CapitalisedRuns(string sentence, Word[] words)
    {
        var run = new List<Word>();
        for (var i = 0; i <= words.Length; i++)
        {
            var continues = i < words.Length && run.Count > 0
                && (OnlySpaceBetween(sentence, words[i - 1], words[i]) || AbbreviatedBetween(sentence, words[i - 1], words[i]));
            var word = i < words.Length ? words[i] : default;
            var joins = i < words.Length && (word.IsCapitalised
                || (run.Count > 0 && Particles.Contains(word.Key) && i + 1 < words.Length && words[i + 1].IsCapitalised)
                || (run.Count > 0 && word.Key == "of" && i + 1 < words.Length && words[i + 1].IsCapitalised));
            if (joins && (run.Count == 0 || continues))
            {
                run.Add(word);
                continue;
            }

            if (run.Count > 0)
            {
                yield return run.ToArray();
                run.Clear();
            }

            if (i < words.Length && word.IsCapitalised)
            {
                run.Add(word);
            }
        }
    }

    /// <summary>"Dr. Owen", "Patrick W. Carlineo": a title or an initial, its full stop, a space.</summary>
    private static bool AbbreviatedBetween(string sentence, Word a, Word b) =>
        (Honorifics.Contains(a.Key) || TitleAbbreviations.Contains(a.Key) || (a.Text.Length == 1 && char.IsUpper(a.Text[0])))
        && sentence[a.End..b.Start].Trim() == ".";

    private static readonly HashSet<string> TitleAbbreviations = new(StringComparer.Ordinal)
    {
        "gov", "sen", "rep", "gen", "lt", "sgt", "capt", "col", "st", "jr", "sr", "pres", "supt", "det", "insp",
    };

    private static bool OnlySpaceBetween(string sentence, Word a, Word b)
    {
        for (var k = a.End; k < b.Start; k++)
        {
            if (!char.IsWhiteSpace(sentence[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Lower-case role words just before a run, next to it or across a comma:
    /// "national security spokesman John Kirby", "the agency’s area manager, Daniel Fairweather".
    /// </summary>
    private static string[] LowercaseRoleBefore(string sentence, Word[] words, Word[] run)
    {
        var index = Array.FindIndex(words, w => w.Start == run[0].Start);
        var role = new List<string>();
        for (var i = index - 1; i >= 0 && !words[i].IsCapitalised && RoleWords.Contains(words[i].Key); i--)
        {
            var gap = sentence[words[i].End..words[i + 1].Start].Trim();
            if (gap.Length > 0 && !(gap == "," && i == index - 1))
            {
                break;
            }

            role.Insert(0, words[i].Key);
        }

        return role.ToArray();
    }

    /// <summary>A role in apposition after the name: "Karen Doyle, general secretary of the union, said".</summary>
    private static string[] RoleInApposition(string sentence, Word[] words, Word[] run)
    {
        var index = Array.FindIndex(words, w => w.Start == run[^1].Start) + 1;
        if (index >= words.Length || sentence[run[^1].End..words[index].Start].Trim() != ",")
        {
            return [];
        }

        var role = new List<string>();
        for (var i = index; i < words.Length && !words[i].IsCapitalised && RoleWords.Contains(words[i].Key); i++)
        {
            if (i > index && sentence[words[i - 1].End..words[i].Start].Trim().Length > 0)
            {
                break;
            }

            role.Add(words[i].Key);
        }

        return role.ToArray();
    }

    /// <summary>Splits a run into a leading role ("Mexican President") and the name that follows.</summary>
    private static Mention? Analyse(Word[] run, string[] lowercaseRole, string[] appositiveRole)
    {
        var tokens = run.Select(w => w.Text).ToList();
        while (tokens.Count > 0 && SentenceStarters.Contains(Words.Fold(tokens[0])))
        {
            tokens.RemoveAt(0);
        }

        // "Zach Parise’s goals" names Zach Parise.
        if (tokens.Count > 0 && Words.Fold(tokens[^1]) is var lastKey && lastKey.EndsWith("'s", StringComparison.Ordinal) && lastKey.Length > 2)
        {
            tokens[^1] = tokens[^1][..^2];
        }

        var lastRole = -1;
        var sawHonorific = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var key = Words.Fold(tokens[i]).TrimEnd('.');
            if (Honorifics.Contains(key))
            {
                lastRole = i;
                sawHonorific = true;
            }
            else if (RoleWords.Contains(key) || key == "of" || (i + 1 < tokens.Count && RoleWords.Contains(Words.Fold(tokens[i + 1])) && i == 0))
            {
                lastRole = i;
            }
        }

        var name = tokens.Skip(lastRole + 1).ToArray();
        if (name.Length == 0 || name.Length > 5)
        {
            return null;
        }

        var roleTokens = tokens.Take(lastRole + 1).Where(t => !Honorifics.Contains(Words.Fold(t).TrimEnd('.'))).ToArray();
        var roles = new List<string[]>();
        if (roleTokens.Length > 0)
        {
            roles.Add(roleTokens);
        }

        if (lowercaseRole.Length > 0)
        {
            roles.Add(lowercaseRole);
        }

        if (appositiveRole.Length > 0)
        {
            roles.Add(appositiveRole);
        }

        // A single capitalised word with no title is usually a place or an organisation, not a person.
        if (name.Length == 1 && roles.Count == 0 && !sawHonorific)
        {
            return null;
        }

        var honorific = tokens.Take(lastRole + 1).Select(t => Words.Fold(t).TrimEnd('.')).LastOrDefault(Honorifics.Contains);
        return new Mention(name, roles, honorific);
    }

    private sealed record Mention(string[] Name, List<string[]> Roles, string? Honorific);

    private sealed class Person(string[] name)
    {
        public string[] Name { get; } = name;

        public List<string[]> Roles { get; } = [];

        public HashSet<string> Aliases { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Honorifics { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// A person rather than a place or an organisation ("New York", "First Amendment"): given a
        /// title or a role, or a first name that is not an English word.
        /// </summary>
        public bool LooksLikePerson =>
            Name.Length >= 2 && (Honorifics.Count > 0 || Roles.Count > 0 || !IsEnglishWord(Words.Fold(Name[0])));

        public Entity ToEntity(List<Person> everyone, HashSet<string> capitalisedWords)
        {
            // Shorter forms ("Mr López Obrador", "Blinken") come only from the article's own mentions.
            var aliases = new HashSet<string>(Aliases, StringComparer.Ordinal) { Fold(Name) };

            // Readers shorten a long name to its initials ("Andrés Manuel López Obrador" → "AMLO");
            // two-word names are left alone, their initials are too ambiguous.
            var nameWords = Name.Where(t => !Particles.Contains(Words.Fold(t))).ToArray();
            if (nameWords.Length >= 3)
            {
                aliases.Add(string.Concat(nameWords.Select(t => Words.Fold(t)[0])));
            }

            // ...or to the first name, or a short form of it ("Bruce", "Jen" for Jennifer, "Rafa"
            // for Rafael), when no one else in the article shares it and it is not an English word;
            // a title with a surname's initial ("Dr D") likewise.
            if (nameWords.Length >= 2 && LooksLikePerson)
            {
                var first = Words.Fold(nameWords[0]);
                var last = Words.Fold(Surname(nameWords));
                foreach (var form in Enumerable.Range(3, Math.Max(0, first.Length - 2)).Select(n => first[..n]))
                {
                    if (!IsEnglishWord(form)
                        && everyone.Count(p => p.Name.Length >= 2 && Words.Fold(p.Name[0]).StartsWith(form, StringComparison.Ordinal)) == 1)
                    {
                        aliases.Add(form);
                    }
                }

                foreach (var honorific in Honorifics)
                {
                    if (everyone.Count(p => p.Name.Length >= 2 && Words.Fold(Surname(p.Name))[0] == last[0] && p.Honorifics.Contains(honorific)) == 1)
                    {
                        aliases.Add(honorific + " " + last[0]);
                    }
                }
            }

            foreach (var role in Roles)
            {
                aliases.Add(Fold(role));
                // The office alone ("spokesman", "president") when no one else holds it.
                var head = Head(role);
                if (RoleWords.Contains(head) && everyone.Count(p => p.Roles.Any(r => Head(r) == head)) == 1)
                {
                    aliases.Add(head);
                }

                foreach (var adjective in role.Where(t => char.IsUpper(t[0]) && !RoleWords.Contains(Words.Fold(t))))
                {
                    foreach (var place in PlacesOf(adjective, capitalisedWords))
                    {
                        aliases.Add(Words.Fold(place));
                    }
                }
            }

            return new Entity(string.Join(' ', Name), aliases);
        }

        private static string Fold(IEnumerable<string> tokens) => string.Join(' ', tokens.Select(Words.Fold));

        /// <summary>The office a role names: its last word, or the word before "of" ("secretary of state" → "secretary").</summary>
        private static string Head(string[] role)
        {
            var of = Array.FindIndex(role, t => Words.Fold(t) == "of");
            return Words.Fold(role[of > 0 ? of - 1 : role.Length - 1]);
        }
    }

    /// <summary>Places the article names whose adjective is <paramref name="adjective"/>: "Mexican" → "Mexico".</summary>
    private static IEnumerable<string> PlacesOf(string adjective, HashSet<string> capitalisedWords)
    {
        foreach (var candidate in capitalisedWords)
        {
            if (candidate == adjective || candidate.Length < 4)
            {
                continue;
            }

            var common = 0;
            while (common < candidate.Length && common < adjective.Length
                && char.ToLowerInvariant(candidate[common]) == char.ToLowerInvariant(adjective[common]))
            {
                common++;
            }

            var placeRest = candidate.Length - common;
            var adjectiveRest = adjective[common..];
            if (common >= 4 && placeRest <= 2 && DemonymEndings.Any(e => adjectiveRest.Length <= e.Length + 1 && (e.EndsWith(adjectiveRest, StringComparison.Ordinal) || adjectiveRest.EndsWith(e, StringComparison.Ordinal))))
            {
                yield return candidate;
            }
        }
    }
}
