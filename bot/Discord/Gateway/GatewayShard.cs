using System.Globalization;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// One gateway shard: <c>shard: [Id, Count]</c> in IDENTIFY. Discord sends a guild's events to shard
/// <c>(guild_id &gt;&gt; 22) % Count</c> and direct messages to shard 0.
/// </summary>
/// <param name="Id">This shard's number, 0 ≤ Id &lt; Count.</param>
/// <param name="Count">How many shards the bot runs in all (across every process).</param>
public readonly record struct GatewayShard(int Id, int Count)
{
    /// <summary>A bot that is not sharded: one connection receives everything (<c>[0, 1]</c>).</summary>
    public static GatewayShard Unsharded { get; } = new(0, 1);

    /// <summary>
    /// The shard Discord sends <paramref name="guildId"/>'s events to, among <paramref name="count"/>;
    /// shard 0 for events outside a guild (direct messages).
    /// </summary>
    public static int ForGuild(ulong? guildId, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);

        // The top 42 bits of a snowflake are its timestamp; Discord shards on them.
        return guildId is { } id ? (int)((id >> 22) % (ulong)count) : 0;
    }

    /// <summary>"shard 1/4", for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"shard {Id}/{Count}");
}
