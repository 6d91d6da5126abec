using System.Globalization;
using System.Text;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Moderation;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Features;

/// <summary>
/// Turns answers, paragraphs and notices into Discord messages. Pure: no I/O, the same input gives
/// the same message. Every message fits Discord's limits (content 2000; embed title 256, description
/// 4096, footer 2048, 6000 in all; custom ids 100; button labels 80) and pings nobody.
/// </summary>
public sealed class AnswerMessageBuilder
{
    private const int SecondaryButtonStyle = 2;
    private const int AnswerColor = 0x2F6FB3;
    private const int NoticeColor = 0x8A8F98;

    // Long enough to recognise the story, short enough that the question and the quotes keep almost
    // all of the embed's 6000-character budget.
    private const int FooterHeadlineLength = 200;

    /// <summary>/about shows a byline or publisher up to this length; longer values are page descriptions, not names.</summary>
    private const int AboutFieldLength = 120;

    /// <summary>/about shows the story's address up to this length.</summary>
    private const int AboutUrlLength = 300;

    // The lead-in is our own wording; the cap only keeps an over-long edited prompt from taking the quotes' room.
    private const int LeadInLength = 400;

    // A moderator's corrected text is theirs to write at length; the form allows no more than this.
    private const int CorrectionLength = 1500;

    private const string BlockSeparator = "\n\n";

    private readonly ReplyWording _wording;

    /// <summary>Creates the builder around the reply wording.</summary>
    public AnswerMessageBuilder(ReplyWording wording)
    {
        _wording = wording;
    }

    /// <summary>
    /// An answer: the question as the title, the lead-in and each quote as a block quote followed by
    /// its ¶ number, the article in the footer, and a "Show ¶n" button per cited paragraph, then 👍 and
    /// 👎 when the answer is in the log (<paramref name="feedbackId"/>). An abstention is the question
    /// and the engine's message only: no quotes, no footer, no buttons.
    /// </summary>
    public MessageCreateRequest Answer(Answer answer, Article article, bool ephemeral, long? feedbackId = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(article);
        var title = QuestionTitle(answer.Question);
        if (!answer.Answered || answer.Citations.Count == 0)
        {
            return Message(
                new Embed { Title = title, Description = DiscordText.Plain(answer.Text, DiscordLimits.EmbedDescription), Color = NoticeColor },
                components: null,
                ephemeral);
        }

        // A language model's wording is untrusted text, shown like a reader's: markdown escaped, one line.
        var leadIn = answer.Mode == AnswerMode.Llm ? DiscordText.ReaderLine(answer.Text, LeadInLength) : DiscordText.Plain(answer.Text, LeadInLength);
        return Quoted(title, leadIn, answer.Citations, article, ephemeral, feedbackId);
    }

    /// <summary>
    /// What a reader is shown for <paramref name="served"/>: the engine's answer, or, when it is a
    /// moderator's correction of a question that means the same, the correction marked as verified.
    /// </summary>
    public MessageCreateRequest Served(ServedAnswer served, Article article, bool ephemeral, long? feedbackId)
    {
        ArgumentNullException.ThrowIfNull(served);
        return served.Correction is { } match
            ? Correction(served.Answer.Question, match.Correction, _wording.VerifiedMarker, article, ephemeral, feedbackId)
            : Answer(served.Answer, article, ephemeral, feedbackId);
    }

    /// <summary>
    /// A moderator's correction shown to readers: <paramref name="marker"/> (corrected, or verified when
    /// served for another question) above the moderator's text, then the verified quotes with their ¶
    /// numbers and buttons, like an answer.
    /// </summary>
    public MessageCreateRequest Correction(string question, Correction correction, string marker, Article article, bool ephemeral, long? feedbackId)
    {
        ArgumentNullException.ThrowIfNull(correction);
        ArgumentNullException.ThrowIfNull(article);
        var leadIn = DiscordText.Plain(marker, LeadInLength) + "\n" + DiscordText.Plain(DiscordText.NeutraliseMentions(correction.Text), CorrectionLength);
        var citations = correction.Citations.Select(c => new Citation(c.Paragraph, c.Quote, c.Start, c.End)).ToArray();
        return Quoted(QuestionTitle(question), leadIn, citations, article, ephemeral, feedbackId);
    }

    /// <summary>The edit that replaces a withdrawn public reply: the question and <paramref name="notice"/>, no quotes, no buttons.</summary>
    public static MessageEditRequest Withdrawn(string question, string notice) => new()
    {
        Content = string.Empty,
        Embeds = [new Embed { Title = QuestionTitle(question), Description = DiscordText.Plain(notice, DiscordLimits.EmbedDescription), Color = NoticeColor }],
        Components = [],
        AllowedMentions = AllowedMentions.None,
    };

    /// <summary>A message as the edit that puts it in place of an earlier one.</summary>
    public static MessageEditRequest AsEdit(MessageCreateRequest message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MessageEditRequest
        {
            Content = message.Content ?? string.Empty,
            Embeds = message.Embeds ?? [],
            Components = message.Components ?? [],
            AllowedMentions = AllowedMentions.None,
        };
    }

    /// <summary>One paragraph in full (cut only beyond 4096 characters), for <c>/source</c> and "Show ¶n".</summary>
    public MessageCreateRequest Paragraph(Paragraph paragraph, Article article, bool ephemeral)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        ArgumentNullException.ThrowIfNull(article);
        var embed = new Embed
        {
            Title = DiscordText.Plain(_wording.ParagraphTitle(paragraph.Number, article.Paragraphs.Count), DiscordLimits.EmbedTitle),
            Description = DiscordText.ArticleText(paragraph.Text, DiscordLimits.EmbedDescription),
            Color = AnswerColor,
            Footer = new EmbedFooter { Text = Footer(article) },
        };
        return Message(embed, components: null, ephemeral);
    }

    /// <summary>The <c>/about</c> reply: headline, paragraph count, answer mode and how answers are built.</summary>
    public MessageCreateRequest About(BotArticle bot, bool ephemeral)
    {
        ArgumentNullException.ThrowIfNull(bot);
        var metadata = bot.Article.Metadata;
        var source = _wording.AboutSource(
            metadata.Byline is null ? null : DiscordText.ArticleText(metadata.Byline, AboutFieldLength),
            metadata.Published,
            metadata.Publisher is null ? null : DiscordText.ArticleText(metadata.Publisher, AboutFieldLength),
            metadata.CanonicalUrl is null ? null : DiscordText.ArticleText(metadata.CanonicalUrl, AboutUrlLength));
        var text = _wording.About(
            DiscordText.ArticleText(bot.Article.Headline, FooterHeadlineLength),
            bot.Article.Paragraphs.Count,
            _wording.ModeDescription(bot.Mode),
            source);
        return Message(
            new Embed { Description = DiscordText.Plain(text, DiscordLimits.EmbedDescription), Color = AnswerColor },
            components: null,
            ephemeral);
    }

    /// <summary>A short message of our own wording (a notice, an error, an apology) as plain content.</summary>
    public static MessageCreateRequest Notice(string text, bool ephemeral) => new()
    {
        Content = DiscordText.Plain(text, DiscordLimits.Content),
        AllowedMentions = AllowedMentions.None,
        Flags = ephemeral ? (int)MessageFlags.Ephemeral : null,
    };

    private MessageCreateRequest Quoted(string? title, string leadIn, IReadOnlyList<Citation> citations, Article article, bool ephemeral, long? feedbackId)
    {
        var footer = Footer(article);
        var room = Math.Min(DiscordLimits.EmbedDescription, DiscordLimits.EmbedTotal - (title?.Length ?? 0) - footer.Length);
        var embed = new Embed
        {
            Title = title,
            Description = citations.Count == 0 ? leadIn : QuoteBlocks(leadIn, citations, room),
            Color = AnswerColor,
            Footer = new EmbedFooter { Text = footer },
        };
        var buttons = Buttons(citations, feedbackId);
        return Message(embed, buttons.Length == 0 ? null : buttons, ephemeral);
    }

    private static MessageCreateRequest Message(Embed embed, IReadOnlyList<ActionRow>? components, bool ephemeral) => new()
    {
        Embeds = [embed],
        Components = components,
        AllowedMentions = AllowedMentions.None,
        Flags = ephemeral ? (int)MessageFlags.Ephemeral : null,
    };

    private static string? QuestionTitle(string question) =>
        DiscordText.IsBlank(question) ? null : DiscordText.ReaderLine(question, DiscordLimits.EmbedTitle);

    private string Footer(Article article) =>
        DiscordText.Plain(_wording.Footer(DiscordText.Plain(DiscordText.ControlToSpace(article.Headline), FooterHeadlineLength)), DiscordLimits.EmbedFooter);

    /// <summary>
    /// The lead-in and the quote blocks in at most <paramref name="room"/> characters. Quotes that fit
    /// are shown whole; the room left is shared equally among the longer ones, a short quote's unused
    /// share going to the others, so three very long quotes are each cut about the same.
    /// </summary>
    private static string QuoteBlocks(string leadIn, IReadOnlyList<Citation> citations, int room)
    {
        var attributions = citations.Select(c => "\n— ¶" + c.Paragraph.ToString(CultureInfo.InvariantCulture)).ToArray();
        var layout = leadIn.Length + citations.Select((c, i) => BlockSeparator.Length + QuoteMarks.BlockOverhead(c.Quote) + attributions[i].Length).Sum();
        var lengths = citations.Select(c => DiscordText.ArticleTextLength(c.Quote)).ToArray();
        var shares = Share(lengths, room - layout);

        var description = new StringBuilder(leadIn, room);
        for (var i = 0; i < citations.Count; i++)
        {
            description.Append(BlockSeparator)
                .Append(QuoteMarks.Block(citations[i].Quote, Math.Max(shares[i], DiscordText.Ellipsis.Length)))
                .Append(attributions[i]);
        }

        return description.ToString();
    }

    private static int[] Share(int[] lengths, int room)
    {
        var shares = new int[lengths.Length];
        var left = lengths.Length;
        foreach (var i in Enumerable.Range(0, lengths.Length).OrderBy(i => lengths[i]))
        {
            shares[i] = Math.Max(0, Math.Min(lengths[i], room / left));
            room -= shares[i];
            left--;
        }

        return shares;
    }

    /// <summary>
    /// A "Show ¶n" button per cited paragraph, then 👍 and 👎 when the answer can take votes, five to a
    /// row: with the usual one to three quotes they share one row. Paragraph buttons beyond what fits
    /// in five rows are left out, never the votes.
    /// </summary>
    private ActionRow[] Buttons(IReadOnlyList<Citation> citations, long? feedbackId)
    {
        var room = DiscordLimits.ButtonsPerRow * DiscordLimits.ActionRows - (feedbackId is null ? 0 : 2);
        var buttons = citations.Select(c => c.Paragraph)
            .Distinct()
            .Take(room)
            .Select(p => Component.Button(SecondaryButtonStyle, DiscordText.Plain(_wording.ShowParagraphLabel(p), DiscordLimits.ButtonLabel), ShowParagraphButton.CustomId(p)))
            .ToList();
        if (feedbackId is { } id)
        {
            buttons.Add(VoteButton(1, id));
            buttons.Add(VoteButton(-1, id));
        }

        return buttons.Chunk(DiscordLimits.ButtonsPerRow).Select(row => new ActionRow { Components = row }).ToArray();
    }

    private static Component VoteButton(int vote, long answerId) => new()
    {
        Type = 2,
        Style = SecondaryButtonStyle,
        Emoji = new PartialEmoji { Name = FeedbackEmoji.Of(vote) },
        CustomId = ModerationCustomIds.FeedbackButton(vote, answerId),
    };
}
