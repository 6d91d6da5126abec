using System.Globalization;
using System.Text.RegularExpressions;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Every sentence the Discord features show a reader, read from <c>prompts/</c> with its
/// <c>{placeholders}</c> filled in. Values are inserted as given: callers escape article and reader text.
/// </summary>
public sealed partial class ReplyWording
{
    private readonly PromptProvider _prompts;

    /// <summary>Reads wording through the process-wide prompt provider.</summary>
    public ReplyWording(PromptProvider prompts)
    {
        _prompts = prompts;
    }

    /// <summary>Reply to a mention or message with no question in it.</summary>
    public string EmptyQuestion => Line("abstain-empty-question.txt");

    /// <summary>Reply when answering failed unexpectedly.</summary>
    public string Apology => Line("error-apology.txt");

    /// <summary>Reply to a command or button this version does not know.</summary>
    public string UnknownInteraction => Line("interaction-unknown.txt");

    /// <summary>The notice for a reader over the question limit.</summary>
    public string RateLimitNotice(int questionsPerMinute) =>
        Fill(Line("rate-limit-notice.txt"), ("limit", Number(questionsPerMinute)));

    /// <summary>The notice after Discord held replies in a channel: <paramref name="count"/> questions went unanswered for <paramref name="duration"/>.</summary>
    public string RepliesHeld(int count, string duration) =>
        Fill(Line("replies-held.txt"), ("count", Number(count)), ("duration", duration));

    /// <summary>The error for a paragraph number outside ¶1..¶<paramref name="count"/>.</summary>
    public string SourceOutOfRange(long paragraph, int count) =>
        Fill(Line("source-out-of-range.txt"), ("paragraph", Number(paragraph)), ("count", Number(count)));

    /// <summary>The label of the button that shows ¶<paramref name="paragraph"/>.</summary>
    public string ShowParagraphLabel(int paragraph) =>
        Fill(Line("show-paragraph-label.txt"), ("paragraph", Number(paragraph)));

    /// <summary>The title above a shown paragraph.</summary>
    public string ParagraphTitle(int paragraph, int count) =>
        Fill(Line("paragraph-title.txt"), ("paragraph", Number(paragraph)), ("count", Number(count)));

    /// <summary>The footer naming the article.</summary>
    public string Footer(string headline) => Fill(Line("answer-footer.txt"), ("headline", headline));

    /// <summary>How answers are produced in <paramref name="mode"/>, as <c>/about</c> says it.</summary>
    public string ModeDescription(AnswerMode mode) => mode switch
    {
        AnswerMode.Extractive => Line("about-mode-extractive.txt"),
        AnswerMode.Llm => Line("about-mode-llm.txt"),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "No about-mode wording for this answer mode."),
    };

    /// <summary>First line of a public reply a moderator corrected.</summary>
    public string CorrectedMarker => Line("answer-corrected-marker.txt");

    /// <summary>First line of an answer served from a moderator's correction of a question that means the same.</summary>
    public string VerifiedMarker => Line("answer-verified-marker.txt");

    /// <summary>What a public reply says once a moderator withdrew it.</summary>
    public string Withdrawn => Line("answer-withdrawn.txt");

    /// <summary>A vote or review button names an answer the log does not hold.</summary>
    public string AnswerNotFound => Line("answer-not-found.txt");

    /// <summary>Refusal for anyone but a moderator using <c>/review</c>, a card button or the correction form.</summary>
    public string ReviewRefused => Line("review-refused.txt");

    /// <summary>Title of the 👎 reason form (at most 45 characters).</summary>
    public string FeedbackReasonTitle => Line("feedback-reason-title.txt");

    /// <summary>Label of the 👎 reason field (at most 45 characters).</summary>
    public string FeedbackReasonLabel => Line("feedback-reason-label.txt");

    /// <summary>Example text in the 👎 reason field (at most 100 characters).</summary>
    public string FeedbackReasonPlaceholder => Line("feedback-reason-placeholder.txt");

    /// <summary>A new vote was counted; <paramref name="vote"/> is the emoji.</summary>
    public string FeedbackCounted(string vote) => Fill(Line("feedback-counted.txt"), ("vote", vote));

    /// <summary>A vote was changed to <paramref name="vote"/>.</summary>
    public string FeedbackChanged(string vote) => Fill(Line("feedback-changed.txt"), ("vote", vote));

    /// <summary>A vote was withdrawn.</summary>
    public string FeedbackWithdrawn(string vote) => Fill(Line("feedback-withdrawn.txt"), ("vote", vote));

    /// <summary>The <c>/about</c> text, one line per line of <c>about.txt</c>.</summary>
    public string About(string headline, int paragraphs, string mode, string source = "") =>
        Fill(
            string.Join('\n', _prompts.GetLines("about.txt").Where(line => source.Length > 0 || !line.Contains("{source}", StringComparison.Ordinal))),
            ("headline", headline), ("source", source), ("paragraphs", Number(paragraphs)), ("mode", mode));

    /// <summary>
    /// <c>/about</c>'s line on what the page said about the story ("By Jane Doe · published 18
    /// November 2019 · in The Hill · https://…"), empty when nothing is known. The values must
    /// already be escaped for Discord.
    /// </summary>
    public string AboutSource(string? byline, DateTimeOffset? published, string? publisher, string? url)
    {
        var labels = _prompts.GetLabels("about-source.txt");

        var parts = new List<string>(4);
        if (byline is not null)
        {
            parts.Add(Fill(labels["byline"], ("byline", byline)));
        }

        if (published is { } date)
        {
            parts.Add(Fill(labels["published"], ("published", date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture))));
        }

        if (publisher is not null)
        {
            parts.Add(Fill(labels["publisher"], ("publisher", publisher)));
        }

        if (url is not null)
        {
            parts.Add(Fill(labels["url"], ("url", url)));
        }

        return string.Join($" {labels["separator"]} ", parts);
    }

    private string Line(string file) => _prompts.GetLines(file)[0];

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Replaces each <c>{name}</c> in one pass, so a value that itself contains braces is never filled in again.</summary>
    internal static string Fill(string template, params (string Name, string Value)[] values) =>
        Placeholder().Replace(template, match =>
        {
            foreach (var (name, value) in values)
            {
                if (name == match.Groups[1].Value)
                {
                    return value;
                }
            }

            return match.Value;
        });

    [GeneratedRegex(@"\{([a-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
