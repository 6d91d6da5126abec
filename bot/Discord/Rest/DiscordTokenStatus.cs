namespace CaravanBot.Bot.Discord.Rest;

/// <summary>
/// Whether Discord still accepts the bot token. The REST client reports the first 401 here and from then on sends
/// nothing more (each further request would be another invalid one); the host watches <see cref="Rejected"/> and
/// stops the bot, since nothing works without a valid token. One instance per process.
/// </summary>
public sealed class DiscordTokenStatus
{
    private readonly TaskCompletionSource<string> _rejected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with the route template that drew the 401, when Discord first rejects the token.</summary>
    public Task<string> Rejected => _rejected.Task;

    /// <summary>True once Discord has rejected the token.</summary>
    public bool IsRejected => _rejected.Task.IsCompleted;

    /// <summary>Records the rejection (only the first one counts).</summary>
    internal void Reject(string route) => _rejected.TrySetResult(route);
}
