using System.Globalization;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Every label and sentence moderators see (review cards, <c>/review</c>, the correction form), read
/// from <c>prompts/</c>. Short labels live together in <c>review-labels.txt</c> as <c>name = text</c>
/// lines; sentences have a file each. Values are inserted as given: callers escape reader text.
/// </summary>
public sealed class ModerationWording
{
    private readonly PromptProvider _prompts;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _labels;

    /// <summary>Reads wording through the process-wide prompt provider.</summary>
    public ModerationWording(PromptProvider prompts)
    {
        _prompts = prompts;
        _labels = new Lazy<IReadOnlyDictionary<string, string>>(() => _prompts.GetLabels("review-labels.txt"));
    }

    /// <summary>Answer review runs without an answer log.</summary>
    public string Unavailable => Line("review-unavailable.txt");

    /// <summary>The corrected answer field was blank.</summary>
    public string CorrectionEmpty => Line("correction-empty.txt");

    /// <summary>Label of the corrected answer field.</summary>
    public string CorrectionTextLabel => Line("correction-form-text-label.txt");

    /// <summary>Label of the citations field.</summary>
    public string CorrectionCitationsLabel => Line("correction-form-citations-label.txt");

    /// <summary>Example in the citations field.</summary>
    public string CorrectionCitationsPlaceholder => Line("correction-form-citations-placeholder.txt");

    /// <summary>A label from <c>review-labels.txt</c> with its placeholders filled.</summary>
    /// <exception cref="InvalidOperationException">The file has no such label.</exception>
    public string Label(string name, params (string Name, string Value)[] values) =>
        _labels.Value.TryGetValue(name, out var text)
            ? ReplyWording.Fill(text, values)
            : throw new InvalidOperationException($"prompts/review-labels.txt has no \"{name}\" label.");

    /// <summary>The shown name of a status (New, Approved, …).</summary>
    public string Status(AnswerStatus status) => Label("status-" + ModerationCustomIds.StatusName(status));

    /// <summary>Title of the correction form for answer <paramref name="id"/>.</summary>
    public string CorrectionFormTitle(long id) => Fill("correction-form-title.txt", ("id", Number(id)));

    /// <summary>The correction was refused: <paramref name="problem"/> says why.</summary>
    public string CorrectionRejected(string problem) => Fill("correction-rejected.txt", ("problem", problem));

    /// <summary>A citation line is not <c>¶N: quoted text</c>.</summary>
    public string CitationLineFormat(int line, string text) =>
        Fill("correction-line-format.txt", ("line", Number(line)), ("text", text));

    /// <summary>A citation line names a paragraph outside ¶1..¶<paramref name="count"/>.</summary>
    public string CitationLineParagraph(int line, int paragraph, int count) =>
        Fill("correction-line-paragraph.txt", ("line", Number(line)), ("paragraph", Number(paragraph)), ("count", Number(count)));

    /// <summary>A citation line's quote is not verbatim text of its paragraph.</summary>
    public string CitationLineNotVerbatim(int line, int paragraph, string text) =>
        Fill("correction-line-not-verbatim.txt", ("line", Number(line)), ("paragraph", Number(paragraph)), ("text", text));

    /// <summary>A citation line's quote is verbatim but too small to check (see <see cref="Retrieval.Answering.CitationMinimum"/>).</summary>
    public string CitationLineTooShort(int line, int paragraph, string text) =>
        Fill("correction-line-too-short.txt", ("line", Number(line)), ("paragraph", Number(paragraph)), ("text", text), ("words", Number(Retrieval.Answering.CitationMinimum.MinimumWords)));

    /// <summary>The answer was given about <paramref name="answered"/>, not the article the bot serves now.</summary>
    public string CorrectionWrongArticle(long id, string answered, string current) =>
        Fill("correction-wrong-article.txt", ("id", Number(id)), ("answered", answered), ("current", current));

    /// <summary>A decision taken away from the card: the new status, saved.</summary>
    public string Saved(long id, AnswerStatus status) => Fill("review-saved.txt", ("id", Number(id)), ("status", Status(status)));

    /// <summary>The status was saved but the public reply could not be edited or deleted.</summary>
    public string ReplyUnchanged(string reason) => Fill("review-reply-unchanged.txt", ("reason", reason));

    private string Line(string file) => _prompts.GetLines(file)[0];

    private string Fill(string file, params (string Name, string Value)[] values) => ReplyWording.Fill(Line(file), values);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
