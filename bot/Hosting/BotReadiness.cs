using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Gateway;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Hosting;

/// <summary>One line of <c>/readyz</c>: a part the bot needs, and whether it is there.</summary>
/// <param name="Name">What was checked ("gateway shard 1", "answer log", "article").</param>
/// <param name="Ready">Whether it is ready.</param>
/// <param name="Detail">Its state in a few words.</param>
public sealed record ReadinessCheck(string Name, bool Ready, string Detail);

/// <summary>
/// Whether this process can answer readers now, for <c>/readyz</c>: the article indexed; for <c>run</c>, every shard
/// it owns READY (or RESUMED) on the gateway; the answer log reachable (one read, bounded in time) when there is one.
/// </summary>
public sealed class BotReadiness
{
    private static readonly TimeSpan LogProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly IServiceProvider _services;
    private volatile bool _articleLoaded;

    /// <summary>Creates the readiness check over the host's services.</summary>
    public BotReadiness(IServiceProvider services)
    {
        _services = services;
    }

    /// <summary>Whether readiness includes the gateway (true for <c>run</c>, false for <c>serve</c>).</summary>
    public bool UsesGateway { get; set; } = true;

    /// <summary>Called once the article is indexed and answers can be given.</summary>
    public void ArticleLoaded() => _articleLoaded = true;

    /// <summary>Checks every part; ready when all are.</summary>
    public async Task<IReadOnlyList<ReadinessCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = new List<ReadinessCheck> { new("article", _articleLoaded, _articleLoaded ? "indexed" : "not indexed yet") };
        if (UsesGateway && _services.GetService<IGatewayClient>() is { } gateway)
        {
            var shards = gateway.Shards;
            if (shards.Count == 0)
            {
                checks.Add(new("gateway", false, "not started"));
            }

            foreach (var shard in shards)
            {
                checks.Add(new($"gateway shard {shard.Shard.Id}/{shard.Shard.Count}", shard.State == GatewayState.Connected, shard.State.ToString().ToLowerInvariant()));
            }
        }

        if (_services.GetService<IAnswerLog>() is { } log)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(LogProbeTimeout);
            try
            {
                // A read of an id that never exists: it reaches the store without touching a row.
                await log.GetAsync(0, timeout.Token).ConfigureAwait(false);
                checks.Add(new("answer log", true, "reachable"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                checks.Add(new("answer log", false, $"no answer within {LogProbeTimeout.TotalSeconds:0} s"));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                checks.Add(new("answer log", false, $"unreachable ({ex.GetType().Name})"));
            }
        }

        return checks;
    }
}
