using System.Globalization;
using System.Numerics;
using CaravanBot.Bot.Discord.Models;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Moderation;

/// <summary>
/// Who may review answers: a guild member whose permissions in the channel (as the interaction
/// reports them, overwrites applied) include Manage Messages or Administrator, or who has one of
/// <see cref="ModerationOptions.RoleIds"/>. Nobody in a DM: there are no member permissions there.
/// </summary>
public sealed class ModeratorCheck
{
    /// <summary>MANAGE_MESSAGES: may delete others' messages, the usual mark of a moderator.</summary>
    public static readonly BigInteger ManageMessages = BigInteger.One << 13;

    /// <summary>ADMINISTRATOR: implies every permission, whatever the bit set says.</summary>
    public static readonly BigInteger Administrator = BigInteger.One << 3;

    private readonly HashSet<ulong> _roles;

    /// <summary>Creates the check from the configured moderator roles.</summary>
    public ModeratorCheck(IOptions<ModerationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _roles = [.. options.Value.RoleIds];
    }

    /// <summary>True when whoever invoked <paramref name="interaction"/> may review.</summary>
    public bool IsModerator(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        if (interaction.Member is not { } member)
        {
            return false;
        }

        // Permissions are a decimal string because they outgrew 53-bit JSON numbers; BigInteger
        // keeps working when they outgrow 64 bits too.
        if (member.Permissions is { } text
            && BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var permissions)
            && ((permissions & ManageMessages) != 0 || (permissions & Administrator) != 0))
        {
            return true;
        }

        return member.Roles.Any(role => _roles.Contains(role.Value));
    }
}
