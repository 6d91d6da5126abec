namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// Groups the questions the bot could not answer for <see cref="ReviewStats.TopUnanswered"/>, the same way
/// in every store: ignoring case (all of Unicode, so "ÉTAT" and "état" meet, which SQLite's lower() does not
/// do) and runs of whitespace; each group is shown in its most frequent spelling, the one seen first on a tie.
/// </summary>
public sealed class UnansweredQuestions
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Adds one unanswered question, in the order they were logged.</summary>
    public void Add(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var spelling = string.Join(' ', question.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (spelling.Length == 0)
        {
            return;
        }

        var key = spelling.ToLowerInvariant();
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new Group(_groups.Count);
            _groups[key] = group;
        }

        group.Add(spelling);
    }

    /// <summary>The <paramref name="top"/> most asked, most asked first (first asked first on a tie).</summary>
    public IReadOnlyList<(string Question, int Count)> Top(int top) =>
        _groups.Values
            .OrderByDescending(g => g.Count)
            .ThenBy(g => g.FirstSeen)
            .Take(top)
            .Select(g => (g.MostFrequentSpelling, g.Count))
            .ToList();

    /// <summary>One unanswered question asked in several spellings.</summary>
    private sealed class Group
    {
        private readonly Dictionary<string, int> _spellings = new(StringComparer.Ordinal);
        private int _best;

        public Group(int firstSeen) => FirstSeen = firstSeen;

        public int FirstSeen { get; }

        public int Count { get; private set; }

        public string MostFrequentSpelling { get; private set; } = string.Empty;

        public void Add(string spelling)
        {
            Count++;
            var count = _spellings[spelling] = _spellings.GetValueOrDefault(spelling) + 1;

            // Strictly more: on a tie the spelling seen first stays.
            if (count > _best)
            {
                _best = count;
                MostFrequentSpelling = spelling;
            }
        }
    }
}
