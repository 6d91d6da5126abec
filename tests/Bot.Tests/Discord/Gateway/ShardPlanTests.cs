using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Gateway;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

public sealed class ShardPlanTests
{
    [Theory]
    [InlineData(null, null, "0/1")]
    [InlineData("1", null, "0/1")]
    [InlineData("4", null, "0/4 1/4 2/4 3/4")]
    [InlineData("4", "0-1", "0/4 1/4")]
    [InlineData("8", "6-7,0, 3", "0/8 3/8 6/8 7/8")]
    [InlineData("2", "1", "1/2")]
    public void The_settings_name_the_shards_this_process_runs(string? count, string? ids, string expected)
    {
        var shards = ShardPlan.Parse(count, ids).Resolve(recommended: 99);

        Assert.Equal(expected, string.Join(' ', shards.Select(s => $"{s.Id}/{s.Count}")));
    }

    [Fact]
    public void Auto_takes_the_count_gateway_bot_recommends()
    {
        var plan = ShardPlan.Parse("auto", null);

        Assert.True(plan.IsAutomatic);
        Assert.Equal(["0/3", "1/3", "2/3"], plan.Resolve(recommended: 3).Select(s => $"{s.Id}/{s.Count}"));
    }

    [Theory]
    [InlineData("0", null, "Discord:ShardCount")]
    [InlineData("-2", null, "Discord:ShardCount")]
    [InlineData("many", null, "Discord:ShardCount")]
    [InlineData("4", "4", "names shard 4")]
    [InlineData("4", "2-1", "Discord:ShardIds")]
    [InlineData("4", "a-b", "Discord:ShardIds")]
    [InlineData("auto", "0-1", "fixed Discord:ShardCount")]
    public void Settings_that_cannot_work_stop_start_up_naming_the_setting(string count, string? ids, string expected)
    {
        var failure = new DiscordOptionsValidator().Validate(null, new DiscordOptions { Token = "token", ShardCount = count, ShardIds = ids });

        Assert.True(failure.Failed);
        Assert.Contains(expected, failure.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    // A guild id is a snowflake: its shard comes from the timestamp bits above bit 22, never from the low bits.
    [InlineData((5UL << 22) | 0x3FFFFF, 2, 1)]
    [InlineData((4UL << 22) | 0x3FFFFF, 2, 0)]
    [InlineData(1300000000000000003UL, 4, 0)] // 1300000000000000003 >> 22 = 309944152832, 0 modulo 4
    [InlineData(1300000000004194307UL, 4, 1)] // one step of the timestamp later: 309944152833
    [InlineData(1300000000000000003UL, 1, 0)]
    public void A_guild_belongs_to_the_shard_of_its_id_shifted_by_22(ulong guildId, int count, int shard)
    {
        Assert.Equal(shard, GatewayShard.ForGuild(guildId, count));
    }

    [Fact]
    public void Events_outside_a_guild_belong_to_shard_0()
    {
        Assert.Equal(0, GatewayShard.ForGuild(null, 16));
    }
}
