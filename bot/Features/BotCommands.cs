using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Moderation;

namespace CaravanBot.Bot.Features;

/// <summary>
/// The application commands CaravanBot registers, and the names the interaction router matches.
/// Names and descriptions live here rather than in <c>prompts/</c>: they are part of the command
/// schema Discord validates (lower-case slash names, descriptions of 1–100 characters, none on
/// context-menu commands), next to the names the router depends on.
/// </summary>
public static class BotCommands
{
    /// <summary><c>/ask question:&lt;text&gt; [private:&lt;bool&gt;]</c>.</summary>
    public const string Ask = "ask";

    /// <summary><c>/source paragraph:&lt;n&gt;</c>.</summary>
    public const string Source = "source";

    /// <summary><c>/about</c>.</summary>
    public const string About = "about";

    /// <summary><c>/review queue [status]</c> and <c>/review stats</c>, for moderators.</summary>
    public const string Review = "review";

    /// <summary>The message context-menu command (right-click a message, Apps).</summary>
    public const string AskMessage = "Ask CaravanBot";

    /// <summary>Option of <c>/ask</c>: the question.</summary>
    public const string QuestionOption = "question";

    /// <summary>Option of <c>/ask</c>: answer only to the asker.</summary>
    public const string PrivateOption = "private";

    /// <summary>Option of <c>/source</c>: the paragraph number.</summary>
    public const string ParagraphOption = "paragraph";

    /// <summary>Command type of slash commands (CHAT_INPUT).</summary>
    public const int SlashCommandType = 1;

    /// <summary>Command type of message context-menu commands.</summary>
    public const int MessageCommandType = 3;

    /// <summary>Longest question <c>/ask</c> accepts; Discord enforces it in the client.</summary>
    public const int MaxQuestionLength = 1000;

    private const int SubcommandOption = 1;
    private const int StringOption = 3;
    private const int IntegerOption = 4;
    private const int BooleanOption = 5;

    /// <summary>The bulk-overwrite body for an article of <paramref name="paragraphCount"/> paragraphs.</summary>
    public static IReadOnlyList<ApplicationCommandRequest> Definitions(int paragraphCount) =>
    [
        new()
        {
            Name = Ask,
            Type = SlashCommandType,
            Description = "Ask about the article; the answer quotes it word for word with ¶ paragraph numbers",
            DmPermission = true,
            Options =
            [
                new()
                {
                    Type = StringOption,
                    Name = QuestionOption,
                    Description = "Your question about the article",
                    Required = true,
                    MinLength = 1,
                    MaxLength = MaxQuestionLength,
                },
                new()
                {
                    Type = BooleanOption,
                    Name = PrivateOption,
                    Description = "Show the answer to you only",
                    Required = false,
                },
            ],
        },
        new()
        {
            Name = Source,
            Type = SlashCommandType,
            Description = "Show one paragraph of the article in full, by its number (¶)",
            DmPermission = true,
            Options =
            [
                new()
                {
                    Type = IntegerOption,
                    Name = ParagraphOption,
                    Description = "The paragraph number, as in ¶7",
                    Required = true,
                    MinValue = 1,
                    MaxValue = Math.Max(1, paragraphCount),
                },
            ],
        },
        new()
        {
            Name = About,
            Type = SlashCommandType,
            Description = "Which article CaravanBot answers about, and how it answers",
            DmPermission = true,
        },
        new()
        {
            Name = Review,
            Type = SlashCommandType,
            Description = "Moderators: review CaravanBot's answers (queue, stats)",

            // Reviewing happens in a server, where moderators have permissions and roles to check.
            DmPermission = false,
            Options =
            [
                new()
                {
                    Type = SubcommandOption,
                    Name = ReviewInteractions.QueueSubcommand,
                    Description = "The latest answers, newest first, optionally in one status",
                    Options =
                    [
                        new()
                        {
                            Type = StringOption,
                            Name = ReviewInteractions.StatusOption,
                            Description = "Which answers to list (default: all)",
                            Required = false,
                            Choices = Enum.GetValues<AnswerStatus>()
                                .Select(s => new ApplicationCommandChoice { Name = s.ToString(), Value = ModerationCustomIds.StatusName(s) })
                                .ToArray(),
                        },
                    ],
                },
                new()
                {
                    Type = SubcommandOption,
                    Name = ReviewInteractions.StatsSubcommand,
                    Description = "Answers per status, abstention rate, reader votes, most asked unanswered questions",
                },
            ],
        },
        new()
        {
            Name = AskMessage,
            Type = MessageCommandType,
            DmPermission = true,
        },
    ];
}
