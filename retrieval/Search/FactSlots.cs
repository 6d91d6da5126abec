using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Retrieval.Search;

/// <summary>One place a sentence states a fact, with the words around it.</summary>
/// <param name="Type">The kind of fact (one or more of <see cref="AnswerTypes.Placed"/>).</param>
/// <param name="Cue">Where the fact itself is written: character span in the sentence.</param>
/// <param name="Start">Start of the window of words around it.</param>
/// <param name="End">End (exclusive) of the window of words around it.</param>
public readonly record struct FactSlot(AnswerType Type, TextSpan Cue, int Start, int End);

/// <summary>
/// Where a sentence states facts of the kinds that have a place in it (a count, a date, a sum…) and
/// the words around each: "forced the evacuation of 1,150 people from the Riverside" is a count of an
/// evacuation, whatever else the sentence says.
/// </summary>
public static class FactSlots
{
    /// <summary>Words on each side of a fact that say what it is about (2–8 were tried in cross-validation on the tuning half; all beat the whole sentence, 6 best).</summary>
    public const int Reach = 6;

    /// <summary>Every place the sentence states a fact, each with its window of words.</summary>
    public static IReadOnlyList<FactSlot> Of(string sentence)
    {
        var words = Words.Of(sentence).ToArray();
        return AnswerTypes.Slots(sentence).Select(slot =>
        {
            var first = Array.FindIndex(words, w => w.End > slot.Start);
            var last = Array.FindLastIndex(words, w => w.Start < slot.End);
            first = Math.Max(0, (first < 0 ? words.Length : first) - Reach);
            last = Math.Min(words.Length - 1, (last < 0 ? -1 : last) + Reach);
            var start = last < first ? slot.Start : Math.Min(slot.Start, words[first].Start);
            var end = last < first ? slot.End : Math.Max(slot.End, words[last].End);
            return new FactSlot(slot.Type, new TextSpan(slot.Start, slot.End), start, end);
        }).ToArray();
    }

}
