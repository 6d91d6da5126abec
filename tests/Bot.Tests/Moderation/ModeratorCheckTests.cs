using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Moderation;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class ModeratorCheckTests
{
    private static readonly ModeratorCheck Check = new(Options.Create(new ModerationOptions { RoleIds = [8800, 8801] }));

    private static Interaction WithMember(GuildMember? member) => new()
    {
        Id = new Snowflake(1),
        ApplicationId = new Snowflake(2),
        Type = InteractionType.MessageComponent,
        Token = "t",
        Member = member,
        User = member is null ? new DiscordUser { Id = new Snowflake(5000) } : null,
    };

    private static GuildMember Member(string? permissions, params ulong[] roles) => new()
    {
        User = new DiscordUser { Id = new Snowflake(5000) },
        Permissions = permissions,
        Roles = roles.Select(r => new Snowflake(r)).ToArray(),
    };

    [Theory]
    [InlineData("8192", true)]
    [InlineData("1071698669121", true)]
    [InlineData("8", true)]
    [InlineData("2248473465835073", false)]
    [InlineData("1071698660929", false)]
    [InlineData("0", false)]
    [InlineData("not a number", false)]
    [InlineData("-8192", false)]
    [InlineData("340282366920938463463374607431768211455", true)]
    public void Manage_messages_or_administrator_in_the_interactions_permissions_makes_a_moderator(string permissions, bool moderator)
    {
        Assert.Equal(moderator, Check.IsModerator(WithMember(Member(permissions))));
    }

    [Fact]
    public void A_configured_role_makes_a_moderator_without_the_permission()
    {
        Assert.True(Check.IsModerator(WithMember(Member("1071698660929", 1234, 8801))));
        Assert.False(Check.IsModerator(WithMember(Member("1071698660929", 1234, 8802))));
    }

    [Fact]
    public void Neither_permission_nor_role_nor_a_member_at_all_is_refused()
    {
        Assert.False(Check.IsModerator(WithMember(Member(null))));
        Assert.False(Check.IsModerator(WithMember(null)));
    }

    [Fact]
    public void Without_configured_roles_only_the_permission_counts()
    {
        var check = new ModeratorCheck(Options.Create(new ModerationOptions()));

        Assert.False(check.IsModerator(WithMember(Member("0", 8800))));
        Assert.True(check.IsModerator(WithMember(Member("8192"))));
    }
}
