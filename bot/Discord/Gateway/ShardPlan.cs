using System.Globalization;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// Which shards this process runs, from <c>Discord:ShardCount</c> (a number, or <c>auto</c> for the count
/// <c>GET /gateway/bot</c> recommends) and <c>Discord:ShardIds</c> (ranges such as <c>0-3</c> or <c>0,2,5-7</c>;
/// every shard when empty).
/// </summary>
public sealed class ShardPlan
{
    /// <summary>The most shards accepted: far beyond any bot this runs (Discord asks for one per 1,000 guilds).</summary>
    public const int MaxShards = 4096;

    private ShardPlan(int? count, IReadOnlyList<int>? ids)
    {
        Count = count;
        Ids = ids;
    }

    /// <summary>The total shard count, or null for <c>auto</c> (resolved when the gateway starts).</summary>
    public int? Count { get; }

    /// <summary>The shards this process runs, or null for all of them.</summary>
    public IReadOnlyList<int>? Ids { get; }

    /// <summary>Whether the count is asked from <c>GET /gateway/bot</c>.</summary>
    public bool IsAutomatic => Count is null;

    /// <summary>Parses the two settings; throws <see cref="FormatException"/> with a message naming the setting.</summary>
    public static ShardPlan Parse(string? shardCount, string? shardIds)
    {
        int? count = null;
        var countText = shardCount?.Trim();
        if (string.IsNullOrEmpty(countText))
        {
            count = 1;
        }
        else if (!string.Equals(countText, "auto", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > MaxShards)
            {
                throw new FormatException($"Discord:ShardCount \"{shardCount}\" must be a number from 1 to {MaxShards}, or auto.");
            }

            count = parsed;
        }

        var idsText = shardIds?.Trim();
        if (string.IsNullOrEmpty(idsText))
        {
            return new ShardPlan(count, null);
        }

        if (count is null)
        {
            // Processes sharing the shards must agree on the count; "auto" could differ between them as guilds come and go.
            throw new FormatException("Discord:ShardIds needs a fixed Discord:ShardCount: processes that share the shards must agree on their count, which auto cannot promise.");
        }

        var ids = new SortedSet<int>();
        foreach (var part in idsText.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var (first, last) = dash < 0 ? (part, part) : (part[..dash].Trim(), part[(dash + 1)..].Trim());
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                || to < from)
            {
                throw new FormatException($"Discord:ShardIds \"{shardIds}\" must list shard numbers or ranges, such as 0-3 or 0,2,5-7.");
            }

            if (to >= count)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"Discord:ShardIds \"{shardIds}\" names shard {to}, but Discord:ShardCount is {count}: shards are numbered 0 to {count - 1}."));
            }

            for (var id = from; id <= to; id++)
            {
                ids.Add(id);
            }
        }

        return new ShardPlan(count, [.. ids]);
    }

    /// <summary>The shards to run once the count is known (<paramref name="recommended"/> stands in for <c>auto</c>).</summary>
    public IReadOnlyList<GatewayShard> Resolve(int recommended)
    {
        var count = Count ?? Math.Clamp(recommended, 1, MaxShards);
        var ids = Ids ?? Enumerable.Range(0, count).ToArray();
        return [.. ids.Select(id => new GatewayShard(id, count))];
    }
}
