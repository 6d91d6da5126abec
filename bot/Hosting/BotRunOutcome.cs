namespace CaravanBot.Bot.Hosting;

/// <summary>Why the bot stopped, so the process can exit with a code that says so.</summary>
public enum BotStopReason
{
    /// <summary>Still running, or stopped because it was asked to (Ctrl+C, SIGTERM).</summary>
    Requested,

    /// <summary>The article could not be read or has no story text.</summary>
    ArticleUnavailable,

    /// <summary>Discord refused the gateway connection for good (bad token, missing intents, …).</summary>
    GatewayRefused,

    /// <summary>Discord answered a REST request with 401: the token was revoked or reset while the bot ran.</summary>
    TokenRejected,

    /// <summary>Something unexpected failed; the log says what.</summary>
    Failed,
}

/// <summary>
/// Set by <see cref="DiscordBotService"/> before it stops the host after a failure: the host itself
/// only knows that it stopped, not why.
/// </summary>
public sealed class BotRunOutcome
{
    /// <summary>Why the bot stopped; <see cref="BotStopReason.Requested"/> unless a failure was recorded.</summary>
    public BotStopReason Reason { get; private set; } = BotStopReason.Requested;

    /// <summary>Records the first failure; later ones are consequences and are not kept.</summary>
    public void Fail(BotStopReason reason)
    {
        if (Reason == BotStopReason.Requested)
        {
            Reason = reason;
        }
    }
}
