using System.Globalization;
using System.Text.RegularExpressions;
using CaravanBot.Bot.Discord.Models;

namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// The last check before a body goes to Discord: no pings (<c>allowed_mentions.parse</c> empty,
/// <c>replied_user</c> false on replies) and Discord's size limits (<see cref="DiscordLimits"/>). Every
/// body <see cref="DiscordRestClient"/> sends passes through here. A violation is a bug in the code that
/// built the body (the features are responsible for cutting text cleanly), so it throws
/// <see cref="ArgumentException"/> before anything is sent rather than letting Discord answer 400 or,
/// worse, ping a role. Features may call the public checks themselves to test their output.
/// </summary>
public static partial class DiscordRequestGuard
{
    private const int CommandNameLength = 32;
    private const int CommandDescriptionLength = 100;
    private const int CommandOptions = 25;
    private const int CommandChoices = 25;
    private const int ChoiceNameLength = 100;
    private const int ChoiceValueLength = 100;
    private const int ChatInputCommands = 100;
    private const int ContextMenuCommandsPerType = 5;
    private const int ModalTitleLength = 45;
    private const int TextInputLabelLength = 45;
    private const int TextInputPlaceholderLength = 100;
    private const int TextInputValueLength = 4000;
    private const int NonceLength = 25;

    /// <summary>Checks a message to be created in a channel (<c>POST /channels/{id}/messages</c>).</summary>
    public static void CheckChannelMessage(MessageCreateRequest message)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckMessage(message, nameof(message));
        if (message.Flags is { } flags && (flags & (int)MessageFlags.Ephemeral) != 0)
        {
            throw Fail(nameof(message), "Only interaction responses and follow-ups can be ephemeral; a channel message with flag 64 is a bug.");
        }

        if (message.Nonce is { Length: 0 or > NonceLength })
        {
            throw Fail(nameof(message), $"nonce must be 1–{NonceLength} characters.");
        }
    }

    /// <summary>
    /// Checks a message sent through an interaction (a type 4/5/7 callback's data, a follow-up):
    /// the same rules as a channel message, and no <c>message_reference</c> or <c>nonce</c>, which
    /// interaction webhooks do not take (Discord would silently drop the reply).
    /// </summary>
    public static void CheckInteractionMessage(MessageCreateRequest message, bool allowEmpty = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        CheckMessage(message, nameof(message), allowEmpty);
        if (message.MessageReference is not null)
        {
            throw Fail(nameof(message), "Interaction responses and follow-ups cannot be replies (message_reference); answer the interaction instead.");
        }

        if (message.Nonce is not null || message.EnforceNonce is not null)
        {
            throw Fail(nameof(message), "nonce and enforce_nonce exist for channel messages only.");
        }
    }

    /// <summary>Checks a message edit (a channel message or an interaction's <c>@original</c>).</summary>
    public static void CheckEdit(MessageEditRequest edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        CheckNoPings(edit.AllowedMentions, isReply: false, nameof(edit));
        CheckContent(edit.Content, nameof(edit));
        CheckEmbeds(edit.Embeds, nameof(edit));
        CheckMessageComponents(edit.Components, nameof(edit));
    }

    /// <summary>Checks an interaction callback: the data each callback type needs, and that data's limits.</summary>
    public static void CheckInteractionResponse(InteractionResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (response.Type, response.Data)
        {
            case (InteractionCallbackType.ChannelMessageWithSource, MessageCreateRequest message):
                CheckInteractionMessage(message);
                break;
            case (InteractionCallbackType.DeferredChannelMessageWithSource, null):
            case (InteractionCallbackType.DeferredUpdateMessage, null):
                break;
            case (InteractionCallbackType.DeferredChannelMessageWithSource, MessageCreateRequest deferred):
                // Only flags (ephemeral) mean anything on a deferral; the message comes with the edit.
                CheckInteractionMessage(deferred, allowEmpty: true);
                break;
            case (InteractionCallbackType.UpdateMessage, MessageCreateRequest update):
                CheckInteractionMessage(update, allowEmpty: true);
                break;
            case (InteractionCallbackType.UpdateMessage, MessageEditRequest edit):
                CheckEdit(edit);
                break;
            case (InteractionCallbackType.Modal, ModalData modal):
                CheckModal(modal);
                break;
            default:
                throw Fail(
                    nameof(response),
                    $"Callback type {(int)response.Type} ({response.Type}) cannot carry {(response.Data is null ? "no data" : response.Data.GetType().Name)}: "
                    + "types 4 and 7 take a message, 5 takes nothing or flags only, 6 takes nothing, 9 takes a ModalData.");
        }
    }

    /// <summary>Checks a bulk-overwrite list of application commands.</summary>
    public static void CheckCommands(IReadOnlyList<ApplicationCommandRequest> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var seen = new HashSet<(int, string)>();
        foreach (var command in commands)
        {
            if (command is null)
            {
                throw Fail(nameof(commands), "A command in the list is null.");
            }

            if (!seen.Add((command.Type, command.Name)))
            {
                throw Fail(nameof(commands), $"Two commands of type {command.Type} are both named \"{command.Name}\".");
            }

            CheckCommand(command, nameof(commands));
        }

        if (commands.Count(c => c.Type == 1) > ChatInputCommands)
        {
            throw Fail(nameof(commands), $"At most {ChatInputCommands} slash commands can be registered.");
        }

        if (commands.Where(c => c.Type is 2 or 3).GroupBy(c => c.Type).Any(g => g.Count() > ContextMenuCommandsPerType))
        {
            throw Fail(nameof(commands), $"At most {ContextMenuCommandsPerType} user and {ContextMenuCommandsPerType} message commands can be registered.");
        }
    }

    /// <summary>The one entry point the client calls for every body it sends.</summary>
    internal static void CheckBody(RequestBodyKind kind, object? body)
    {
        switch (kind, body)
        {
            case (RequestBodyKind.None, null):
                break;
            case (RequestBodyKind.ChannelMessage, MessageCreateRequest message):
                CheckChannelMessage(message);
                break;
            case (RequestBodyKind.ChannelMessageEdit or RequestBodyKind.OriginalResponseEdit, MessageEditRequest edit):
                CheckEdit(edit);
                break;
            case (RequestBodyKind.InteractionResponse, InteractionResponse response):
                CheckInteractionResponse(response);
                break;
            case (RequestBodyKind.FollowupMessage, MessageCreateRequest followup):
                CheckInteractionMessage(followup);
                break;
            case (RequestBodyKind.Commands, IReadOnlyList<ApplicationCommandRequest> commands):
                CheckCommands(commands);
                break;
            default:
                // A new endpoint must teach the guard its body; sending it unchecked is not an option.
                throw new ArgumentException($"No guard rule for a {kind} request with a {body?.GetType().Name ?? "missing"} body.", nameof(body));
        }
    }

    private static void CheckMessage(MessageCreateRequest message, string parameter, bool allowEmpty = false)
    {
        CheckNoPings(message.AllowedMentions, isReply: message.MessageReference is not null, parameter);
        CheckContent(message.Content, parameter);
        CheckEmbeds(message.Embeds, parameter);
        CheckMessageComponents(message.Components, parameter);
        if (!allowEmpty && string.IsNullOrEmpty(message.Content) && (message.Embeds is null || message.Embeds.Count == 0) && (message.Components is null || message.Components.Count == 0))
        {
            throw Fail(parameter, "The message has no content, embeds or components; Discord rejects empty messages (50006).");
        }
    }

    private static void CheckNoPings(AllowedMentions? mentions, bool isReply, string parameter)
    {
        if (mentions is null)
        {
            throw Fail(parameter, "allowed_mentions is missing: without it Discord pings everyone the text mentions. Use AllowedMentions.None.");
        }

        if (mentions.Parse is null || mentions.Parse.Count != 0)
        {
            throw Fail(parameter, $"allowed_mentions.parse must be empty (it is [{string.Join(", ", mentions.Parse ?? [])}]): CaravanBot never pings.");
        }

        if (isReply && mentions.RepliedUser != false)
        {
            throw Fail(parameter, "A reply must set allowed_mentions.replied_user to false so the reader is not pinged.");
        }
    }

    private static void CheckContent(string? content, string parameter)
    {
        // string.Length counts UTF-16 code units, never fewer than the characters Discord counts.
        if (content is { Length: > DiscordLimits.Content })
        {
            throw Fail(parameter, $"content is {content.Length} characters; Discord allows {DiscordLimits.Content}.");
        }
    }

    private static void CheckEmbeds(IReadOnlyList<Embed>? embeds, string parameter)
    {
        if (embeds is null)
        {
            return;
        }

        if (embeds.Count > DiscordLimits.Embeds)
        {
            throw Fail(parameter, $"{embeds.Count} embeds; Discord allows {DiscordLimits.Embeds}.");
        }

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var embed = embeds[i] ?? throw Fail(parameter, $"embeds[{i}] is null.");
            total += Limit(embed.Title, DiscordLimits.EmbedTitle, $"embeds[{i}].title", parameter);
            total += Limit(embed.Description, DiscordLimits.EmbedDescription, $"embeds[{i}].description", parameter);
            if (embed.Color is < 0 or > 0xFFFFFF)
            {
                throw Fail(parameter, $"embeds[{i}].color must be 0xRRGGBB.");
            }

            if (embed.Fields is { } fields)
            {
                if (fields.Count > DiscordLimits.EmbedFields)
                {
                    throw Fail(parameter, $"embeds[{i}] has {fields.Count} fields; Discord allows {DiscordLimits.EmbedFields}.");
                }

                for (var f = 0; f < fields.Count; f++)
                {
                    var field = fields[f] ?? throw Fail(parameter, $"embeds[{i}].fields[{f}] is null.");
                    if (string.IsNullOrEmpty(field.Name) || string.IsNullOrEmpty(field.Value))
                    {
                        throw Fail(parameter, $"embeds[{i}].fields[{f}] needs a name and a value (Discord rejects empty ones).");
                    }

                    total += Limit(field.Name, DiscordLimits.EmbedFieldName, $"embeds[{i}].fields[{f}].name", parameter);
                    total += Limit(field.Value, DiscordLimits.EmbedFieldValue, $"embeds[{i}].fields[{f}].value", parameter);
                }
            }

            if (embed.Footer is { } footer)
            {
                total += Limit(footer.Text, DiscordLimits.EmbedFooter, $"embeds[{i}].footer.text", parameter);
            }
        }

        if (total > DiscordLimits.EmbedTotal)
        {
            throw Fail(parameter, $"The embeds hold {total} characters of text; Discord allows {DiscordLimits.EmbedTotal} per message.");
        }
    }

    private static void CheckMessageComponents(IReadOnlyList<ActionRow>? rows, string parameter)
    {
        if (rows is null)
        {
            return;
        }

        if (rows.Count > DiscordLimits.ActionRows)
        {
            throw Fail(parameter, $"{rows.Count} action rows; Discord allows {DiscordLimits.ActionRows}.");
        }

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r] ?? throw Fail(parameter, $"components[{r}] is null.");
            if (row.Type != 1 || row.Components is null || row.Components.Count is 0 or > DiscordLimits.ButtonsPerRow)
            {
                throw Fail(parameter, $"components[{r}] must be an action row (type 1) of 1–{DiscordLimits.ButtonsPerRow} buttons.");
            }

            for (var c = 0; c < row.Components.Count; c++)
            {
                var where = $"components[{r}].components[{c}]";
                var button = row.Components[c] ?? throw Fail(parameter, $"{where} is null.");
                if (button.Type != 2)
                {
                    throw Fail(parameter, $"{where} has type {button.Type}; messages here carry buttons (type 2) only.");
                }

                Limit(button.Label, DiscordLimits.ButtonLabel, $"{where}.label", parameter);
                if (button.Style == 5)
                {
                    if (string.IsNullOrEmpty(button.Url) || button.CustomId is not null)
                    {
                        throw Fail(parameter, $"{where} is a link button: it needs a url and no custom_id.");
                    }
                }
                else
                {
                    if (button.Style is not (1 or 2 or 3 or 4))
                    {
                        throw Fail(parameter, $"{where} has style {button.Style?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}; buttons use 1–5.");
                    }

                    CheckCustomId(button.CustomId, $"{where}.custom_id", parameter);
                    if (!customIds.Add(button.CustomId!))
                    {
                        throw Fail(parameter, $"{where}.custom_id \"{button.CustomId}\" is used twice in one message.");
                    }
                }

                if (string.IsNullOrEmpty(button.Label) && button.Emoji is null)
                {
                    throw Fail(parameter, $"{where} needs a label or an emoji.");
                }
            }
        }
    }

    private static void CheckModal(ModalData modal)
    {
        const string Parameter = "response";
        CheckCustomId(modal.CustomId, "data.custom_id", Parameter);
        if (string.IsNullOrEmpty(modal.Title))
        {
            throw Fail(Parameter, "A modal needs a title.");
        }

        Limit(modal.Title, ModalTitleLength, "data.title", Parameter);
        if (modal.Components is null || modal.Components.Count is 0 or > DiscordLimits.ActionRows)
        {
            throw Fail(Parameter, $"A modal needs 1–{DiscordLimits.ActionRows} rows.");
        }

        for (var r = 0; r < modal.Components.Count; r++)
        {
            var row = modal.Components[r];
            if (row is null || row.Type != 1 || row.Components is not { Count: 1 } || row.Components[0] is not { Type: 4 } input)
            {
                throw Fail(Parameter, $"data.components[{r}] must be an action row holding exactly one text input (type 4).");
            }

            var where = $"data.components[{r}].components[0]";
            CheckCustomId(input.CustomId, $"{where}.custom_id", Parameter);
            if (input.Style is not (1 or 2))
            {
                throw Fail(Parameter, $"{where}.style must be 1 (short) or 2 (paragraph).");
            }

            if (string.IsNullOrEmpty(input.Label))
            {
                throw Fail(Parameter, $"{where} needs a label.");
            }

            Limit(input.Label, TextInputLabelLength, $"{where}.label", Parameter);
            Limit(input.Placeholder, TextInputPlaceholderLength, $"{where}.placeholder", Parameter);
            Limit(input.Value, TextInputValueLength, $"{where}.value", Parameter);
            if (input.MinLength is < 0 or > TextInputValueLength || input.MaxLength is < 1 or > TextInputValueLength || input.MinLength > input.MaxLength)
            {
                throw Fail(Parameter, $"{where}: min_length must be 0–{TextInputValueLength}, max_length 1–{TextInputValueLength}, and min ≤ max.");
            }
        }
    }

    private static void CheckCommand(ApplicationCommandRequest command, string parameter)
    {
        var where = $"command \"{command.Name}\"";
        switch (command.Type)
        {
            case 1:
                CheckChatInputName(command.Name, where, parameter);
                CheckDescription(command.Description, where, parameter);
                CheckOptions(command.Options, where, parameter, depth: 0);
                break;
            case 2 or 3:
                if (string.IsNullOrWhiteSpace(command.Name) || command.Name.Length > CommandNameLength)
                {
                    throw Fail(parameter, $"{where}: a context-menu name is 1–{CommandNameLength} characters.");
                }

                if (!string.IsNullOrEmpty(command.Description) || command.Options is { Count: > 0 })
                {
                    throw Fail(parameter, $"{where}: context-menu commands (type {command.Type}) take no description and no options.");
                }

                break;
            default:
                throw Fail(parameter, $"{where}: type {command.Type} is not a slash (1), user (2) or message (3) command.");
        }
    }

    private static void CheckOptions(IReadOnlyList<ApplicationCommandOption>? options, string owner, string parameter, int depth)
    {
        if (options is null)
        {
            return;
        }

        if (options.Count > CommandOptions)
        {
            throw Fail(parameter, $"{owner} has {options.Count} options; Discord allows {CommandOptions}.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var optionalSeen = false;
        foreach (var option in options)
        {
            if (option is null)
            {
                throw Fail(parameter, $"{owner} has a null option.");
            }

            var where = $"{owner} option \"{option.Name}\"";
            CheckChatInputName(option.Name, where, parameter);
            CheckDescription(option.Description, where, parameter);
            if (!names.Add(option.Name))
            {
                throw Fail(parameter, $"{where} is defined twice.");
            }

            if (option.Type is < 1 or > 11)
            {
                throw Fail(parameter, $"{where} has type {option.Type}; option types are 1–11.");
            }

            if (option.Type is 1 or 2)
            {
                // A subcommand (group) nests options; groups hold subcommands, subcommands hold values.
                if (depth >= 2)
                {
                    throw Fail(parameter, $"{where}: subcommands nest at most two levels.");
                }

                CheckOptions(option.Options, where, parameter, depth + 1);
                continue;
            }

            if (option.Options is { Count: > 0 })
            {
                throw Fail(parameter, $"{where}: only subcommands have nested options.");
            }

            // Discord answers 50035 "Required options must be placed before non-required options".
            if (option.Required == true && optionalSeen)
            {
                throw Fail(parameter, $"{where} is required but comes after an optional option; Discord needs required options first.");
            }

            optionalSeen |= option.Required != true;
            if (option.MinLength is < 0 or > 6000 || option.MaxLength is < 1 or > 6000 || option.MinLength > option.MaxLength)
            {
                throw Fail(parameter, $"{where}: min_length must be 0–6000, max_length 1–6000, and min ≤ max.");
            }

            if (option.MinValue > option.MaxValue)
            {
                throw Fail(parameter, $"{where}: min_value is above max_value.");
            }

            if (option.Choices is { } choices)
            {
                if (choices.Count > CommandChoices)
                {
                    throw Fail(parameter, $"{where} has {choices.Count} choices; Discord allows {CommandChoices}.");
                }

                foreach (var choice in choices)
                {
                    if (choice is null || string.IsNullOrEmpty(choice.Name) || choice.Name.Length > ChoiceNameLength || choice.Value is null || choice.Value.Length > ChoiceValueLength)
                    {
                        throw Fail(parameter, $"{where}: a choice needs a name of 1–{ChoiceNameLength} and a value of at most {ChoiceValueLength} characters.");
                    }
                }
            }
        }
    }

    private static void CheckChatInputName(string name, string where, string parameter)
    {
        // Discord's rule for slash command and option names: 1–32 lower-case letters, digits, - _ '.
        if (name is null || !ChatInputName().IsMatch(name) || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw Fail(parameter, $"{where}: slash command and option names are 1–{CommandNameLength} lower-case letters, digits, '-', '_' or an apostrophe.");
        }
    }

    private static void CheckDescription(string? description, string where, string parameter)
    {
        if (string.IsNullOrWhiteSpace(description) || description.Length > CommandDescriptionLength)
        {
            throw Fail(parameter, $"{where}: a description of 1–{CommandDescriptionLength} characters is required.");
        }
    }

    private static void CheckCustomId(string? customId, string where, string parameter)
    {
        if (string.IsNullOrEmpty(customId) || customId.Length > DiscordLimits.CustomId)
        {
            throw Fail(parameter, $"{where} must be 1–{DiscordLimits.CustomId} characters.");
        }
    }

    /// <summary>Throws when <paramref name="text"/> is over <paramref name="max"/>; returns its length for the embed total.</summary>
    private static int Limit(string? text, int max, string where, string parameter)
    {
        if (text is { } value && value.Length > max)
        {
            throw Fail(parameter, $"{where} is {value.Length} characters; Discord allows {max}.");
        }

        return text?.Length ?? 0;
    }

    private static ArgumentException Fail(string parameter, string message) =>
        new($"Refusing to send this to Discord: {message}", parameter);

    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChatInputName();
}
