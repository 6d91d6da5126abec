using System.Globalization;
using System.Text;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Builds what moderators see: the review card mirrored for each answer (question, the answer's
/// text and quotes with ¶ numbers, asker, link to the public reply, status with who set it, votes,
/// history, and Approve / Flag / Retract / Correct buttons), the correction form, the pages of
/// <c>/review queue</c> and <c>/review stats</c>. Pure: the same record gives the same message. Every
/// message fits Discord's limits (6000 embed characters, field values 1024, custom ids 100) and pings
/// nobody; reader-typed text is escaped.
/// </summary>
public sealed class ReviewCardBuilder
{
    /// <summary>Longest corrected answer the form accepts: with quotes it still fits one embed.</summary>
    public const int MaxCorrectionLength = 1500;

    /// <summary>Longest citations field the form accepts (Discord's text input maximum).</summary>
    public const int MaxCitationsLength = 4000;

    /// <summary>Custom id of the corrected answer field in the form.</summary>
    public const string CorrectionTextInput = "text";

    /// <summary>Custom id of the citations field in the form.</summary>
    public const string CorrectionCitationsInput = "citations";

    private const int SuccessStyle = 3;
    private const int SecondaryStyle = 2;
    private const int DangerStyle = 4;
    private const int PrimaryStyle = 1;
    private const int ParagraphInputStyle = 2;
    private const int TextInputType = 4;
    private const int ModalTitleLength = 45;
    private const int TextInputLabelLength = 45;
    private const int TextInputPlaceholderLength = 100;

    // The description gets what the fields, title and footer cannot take of the 6000 characters:
    // title 256 + fields at most 6 × ~1100 in the worst case is more than the budget, so the long
    // fields (history, correction) are capped lower and the description at 2500.
    private const int DescriptionLength = 2500;
    private const int LeadInLength = 400;
    private const int NameLength = 80;
    private const int HistoryLength = 700;
    private const int CorrectionFieldLength = 900;
    private const int HistoryEntries = 6;
    private const int QueueQuestionLength = 200;
    private const int StatsQuestionLength = 150;

    private readonly ModerationWording _wording;
    private readonly string _webBase;

    /// <summary>Creates the builder around the moderators' wording; links go to the web app <paramref name="discord"/> names.</summary>
    public ReviewCardBuilder(ModerationWording wording, IOptions<DiscordOptions>? discord = null)
    {
        _wording = wording;
        _webBase = (discord?.Value ?? new DiscordOptions()).WebBase;
    }

    /// <summary>The address of a message, as Discord's "Copy Message Link" gives it (<c>@me</c> in DMs), on the configured web app.</summary>
    public string MessageLink(string? guildId, string channelId, string messageId) =>
        $"{_webBase}/channels/{guildId ?? "@me"}/{channelId}/{messageId}";

    /// <summary>The review card of <paramref name="record"/>, for the review channel.</summary>
    public MessageCreateRequest Card(AnswerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new MessageCreateRequest
        {
            Embeds = [CardEmbed(record)],
            Components = [CardButtons(record)],
            AllowedMentions = AllowedMentions.None,
        };
    }

    /// <summary>The card as an edit of the message showing it (after a status change).</summary>
    public MessageEditRequest CardEdit(AnswerRecord record)
    {
        var card = Card(record);
        return new MessageEditRequest { Embeds = card.Embeds, Components = card.Components, AllowedMentions = AllowedMentions.None };
    }

    /// <summary>
    /// The correction form: the corrected answer (required) and its citations, one a line as
    /// <c>¶N: quoted text</c> (optional), pre-filled with the current correction or the answer's own quotes.
    /// </summary>
    public ModalData CorrectionForm(AnswerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var citations = record.Correction?.Citations ?? record.Answer.Citations;
        var lines = string.Join('\n', citations.Select(c => $"¶{Number(c.Paragraph)}: {c.Quote}"));
        return new ModalData
        {
            CustomId = ModerationCustomIds.CorrectionModal(record.Id),
            Title = DiscordText.Plain(_wording.CorrectionFormTitle(record.Id), ModalTitleLength),
            Components =
            [
                TextInputRow(CorrectionTextInput, _wording.CorrectionTextLabel, required: true, MaxCorrectionLength, placeholder: null,
                    value: record.Correction is { Text.Length: <= MaxCorrectionLength } correction ? correction.Text : null),
                TextInputRow(CorrectionCitationsInput, _wording.CorrectionCitationsLabel, required: false, MaxCitationsLength, _wording.CorrectionCitationsPlaceholder,
                    value: lines.Length is > 0 and <= MaxCitationsLength ? lines : null),
            ],
        };
    }

    /// <summary>
    /// One page of <c>/review queue</c> (private to the moderator): one field per answer with its
    /// status, votes, question, asker and link, and Previous / Next buttons (<c>rq:{status}:{page}</c>).
    /// </summary>
    public MessageCreateRequest QueuePage(IReadOnlyList<AnswerRecord> records, AnswerStatus? status, int page, bool hasMore)
    {
        ArgumentNullException.ThrowIfNull(records);
        var statusName = status is { } s ? _wording.Status(s) : _wording.Label("queue-all");
        var embed = new Embed
        {
            Title = DiscordText.Plain(_wording.Label("queue-title", ("status", statusName), ("page", Number(page + 1))), DiscordLimits.EmbedTitle),
            Description = records.Count == 0 ? _wording.Label("queue-empty") : null,
            Fields = records.Take(DiscordLimits.EmbedFields).Select(QueueField).ToArray(),
            Color = StatusColor(status ?? AnswerStatus.New),
        };
        var previous = Component.Button(SecondaryStyle, Button("previous"), ModerationCustomIds.QueuePage(status, Math.Max(0, page - 1))) with { Disabled = page == 0 };
        var next = Component.Button(SecondaryStyle, Button("next"), ModerationCustomIds.QueuePage(status, page + 1)) with { Disabled = !hasMore };
        return new MessageCreateRequest
        {
            Embeds = [embed],
            Components = [new ActionRow { Components = [previous, next] }],
            AllowedMentions = AllowedMentions.None,
            Flags = (int)MessageFlags.Ephemeral,
        };
    }

    /// <summary><c>/review stats</c> (private to the moderator): counts per status, abstention rate, votes, the most asked unanswered questions.</summary>
    public MessageCreateRequest Stats(ReviewStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var fields = new List<EmbedField>();
        foreach (var status in Enum.GetValues<AnswerStatus>())
        {
            fields.Add(Field(_wording.Status(status), Number(stats.ByStatus.GetValueOrDefault(status)), inline: true));
        }

        fields.Add(Field(_wording.Label("stats-total"), Number(stats.Total), inline: true));
        fields.Add(Field(_wording.Label("stats-answered"), Number(stats.Total - stats.Abstentions), inline: true));
        fields.Add(Field(_wording.Label("stats-abstentions"), _wording.Label("stats-rate", ("count", Number(stats.Abstentions)), ("rate", Rate(stats.Abstentions, stats.Total))), inline: true));
        fields.Add(Field(_wording.Label("stats-votes"), $"👍 {Number(stats.Upvotes)} · 👎 {Number(stats.Downvotes)}", inline: false));
        var unanswered = stats.TopUnanswered.Count == 0
            ? _wording.Label("stats-none")
            : string.Join('\n', stats.TopUnanswered.Select((q, i) => $"{Number(i + 1)}. {DiscordText.ReaderLine(q.Question, StatsQuestionLength)} — {Number(q.Count)}×"));
        fields.Add(Field(_wording.Label("stats-unanswered"), unanswered, inline: false));
        return new MessageCreateRequest
        {
            Embeds = [new Embed { Title = DiscordText.Plain(_wording.Label("stats-title"), DiscordLimits.EmbedTitle), Fields = fields, Color = StatusColor(AnswerStatus.New) }],
            AllowedMentions = AllowedMentions.None,
            Flags = (int)MessageFlags.Ephemeral,
        };
    }

    private Embed CardEmbed(AnswerRecord record)
    {
        var answer = record.Answer;
        var fields = new List<EmbedField>
        {
            Field(_wording.Label("field-asked-by"), $"{DiscordText.ReaderLine(answer.Asker.Name, NameLength)} · {SourceName(answer.Source)}", inline: true),
            Field(_wording.Label("field-status"), StatusLine(record), inline: true),
            Field(_wording.Label("field-votes"), $"👍 {Number(record.Upvotes)} · 👎 {Number(record.Downvotes)}", inline: true),
            Field(_wording.Label("field-reply"), ReplyLine(record), inline: false),
        };
        if (!answer.Answered)
        {
            fields.Add(Field(_wording.Label("field-reason"), DiscordText.ReaderLine(answer.Reason ?? "-", NameLength), inline: true));
        }

        if (answer.ServedCorrectionOf is { } of)
        {
            fields.Add(Field(_wording.Label("field-correction"), _wording.Label("served-correction", ("id", Number(of))), inline: true));
        }

        if (record.Correction is { } correction)
        {
            fields.Add(Field(_wording.Label("field-correction"), CorrectionText(correction), inline: false));
        }

        if (record.History.Count > 0)
        {
            fields.Add(Field(_wording.Label("field-history"), HistoryText(record.History), inline: false));
        }

        return new Embed
        {
            Title = DiscordText.IsBlank(answer.Question) ? null : DiscordText.ReaderLine(answer.Question, DiscordLimits.EmbedTitle),
            Description = AnswerText(answer),
            Fields = fields,
            Color = StatusColor(record.Status),
            Footer = new EmbedFooter
            {
                Text = DiscordText.Plain(
                    _wording.Label(
                        "card-footer",
                        ("id", Number(record.Id)),
                        ("source", SourceName(answer.Source)),
                        ("mode", DiscordText.ReaderLine(answer.Mode, NameLength)),
                        ("latency", answer.LatencyMs.ToString("0", CultureInfo.InvariantCulture))),
                    DiscordLimits.EmbedFooter),
            },
        };
    }

    private ActionRow CardButtons(AnswerRecord record) => new()
    {
        // The button of the status the answer already has is disabled: pressing it would change nothing.
        Components =
        [
            ReviewButton(SuccessStyle, "approve", ReviewAction.Approve, record) with { Disabled = record.Status == AnswerStatus.Approved },
            ReviewButton(SecondaryStyle, "flag", ReviewAction.Flag, record) with { Disabled = record.Status == AnswerStatus.Flagged },
            ReviewButton(DangerStyle, "retract", ReviewAction.Retract, record) with { Disabled = record.Status == AnswerStatus.Retracted },
            ReviewButton(PrimaryStyle, "correct", ReviewAction.Correct, record),
        ],
    };

    private Component ReviewButton(int style, string label, ReviewAction action, AnswerRecord record) =>
        Component.Button(style, Button(label), ModerationCustomIds.ReviewButton(action, record.Id));

    private string Button(string label) => DiscordText.Plain(_wording.Label(label), DiscordLimits.ButtonLabel);

    /// <summary>The answer's lead-in or abstention message, then each quote as a block with its ¶ number, within the description budget.</summary>
    private static string AnswerText(NewAnswer answer)
    {
        // The logged text may be a language model's wording: shown like a reader's, markdown escaped.
        var text = new StringBuilder(DiscordText.ReaderLine(answer.AnswerText, LeadInLength));
        if (answer.Citations.Count == 0)
        {
            return text.ToString();
        }

        var attributions = answer.Citations.Select(c => "\n— ¶" + Number(c.Paragraph)).ToArray();
        var layout = text.Length + answer.Citations.Select((c, i) => 2 + QuoteMarks.BlockOverhead(c.Quote) + attributions[i].Length).Sum();
        var share = Math.Max(DiscordText.Ellipsis.Length, (DescriptionLength - layout) / answer.Citations.Count);
        for (var i = 0; i < answer.Citations.Count; i++)
        {
            text.Append("\n\n").Append(QuoteMarks.Block(answer.Citations[i].Quote, share)).Append(attributions[i]);
        }

        return DiscordText.Plain(text.ToString(), DescriptionLength);
    }

    private string StatusLine(AnswerRecord record) =>
        record.History.Count == 0
            ? _wording.Status(record.Status)
            : _wording.Label("status-by", ("status", _wording.Status(record.Status)), ("name", DiscordText.ReaderLine(record.History[^1].By.Name, NameLength)));

    private string ReplyLine(AnswerRecord record)
    {
        // Public replies are remembered before their card is posted, so a card without one is for an
        // ephemeral reply, which has no address anyone else could open.
        return record.ReplyChannelId is { } channel && record.ReplyMessageId is { } message
            ? $"[{_wording.Label("open-reply")}]({MessageLink(record.Answer.GuildId, channel, message)})"
            : _wording.Label("private-reply");
    }

    private static string CorrectionText(Correction correction)
    {
        var text = new StringBuilder(DiscordText.NeutraliseMentions(correction.Text));
        foreach (var citation in correction.Citations)
        {
            var (open, close) = QuoteMarks.For(citation.Quote);
            text.Append("\n¶").Append(Number(citation.Paragraph)).Append(' ').Append(open).Append(DiscordText.ArticleText(citation.Quote, 200)).Append(close);
        }

        return DiscordText.Plain(text.ToString(), CorrectionFieldLength);
    }

    private string HistoryText(IReadOnlyList<StatusChange> history)
    {
        var lines = history.TakeLast(HistoryEntries).Select(change =>
        {
            var line = _wording.Label(
                "status-when",
                ("status", _wording.Status(change.Status)),
                ("name", DiscordText.ReaderLine(change.By.Name, NameLength)),
                ("time", $"<t:{change.At.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}:f>"));
            return change.Note is { Length: > 0 } note ? $"{line} · {DiscordText.ReaderLine(note, 120)}" : line;
        });
        return DiscordText.Plain(string.Join('\n', lines), HistoryLength);
    }

    private EmbedField QueueField(AnswerRecord record)
    {
        var answer = record.Answer;
        var value = $"{DiscordText.ReaderLine(answer.Question, QueueQuestionLength)}\n{DiscordText.ReaderLine(answer.Asker.Name, NameLength)} · {ReplyLine(record)}";
        var name = _wording.Label(
            "queue-entry",
            ("id", Number(record.Id)),
            ("status", _wording.Status(record.Status)),
            ("up", Number(record.Upvotes)),
            ("down", Number(record.Downvotes)));
        return Field(name, value, inline: false);
    }

    private string SourceName(string source) => source switch
    {
        "mention" or "dm" or "slash" or "context-menu" => _wording.Label("source-" + source),
        _ => DiscordText.ReaderLine(source, NameLength),
    };

    private static EmbedField Field(string name, string value, bool inline) => new()
    {
        Name = DiscordText.Plain(name, DiscordLimits.EmbedFieldName),
        Value = DiscordText.Plain(value.Length == 0 ? "-" : value, DiscordLimits.EmbedFieldValue),
        Inline = inline,
    };

    private static ActionRow TextInputRow(string customId, string label, bool required, int maxLength, string? placeholder, string? value) => new()
    {
        Components =
        [
            new Component
            {
                Type = TextInputType,
                CustomId = customId,
                Style = ParagraphInputStyle,
                Label = DiscordText.Plain(label, TextInputLabelLength),
                Required = required,
                MinLength = required ? 1 : 0,
                MaxLength = maxLength,
                Placeholder = placeholder is null ? null : DiscordText.Plain(placeholder, TextInputPlaceholderLength),
                Value = value,
            },
        ],
    };

    private static int StatusColor(AnswerStatus status) => status switch
    {
        AnswerStatus.Approved => 0x2E9E5B,
        AnswerStatus.Flagged => 0xE09A1F,
        AnswerStatus.Retracted => 0xC23B3B,
        AnswerStatus.Corrected => 0x7A4FC4,
        _ => 0x8A8F98,
    };

    private static string Rate(int part, int total) =>
        total == 0 ? "0%" : ((double)part / total).ToString("0%", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
