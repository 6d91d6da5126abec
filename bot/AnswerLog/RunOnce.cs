namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// Runs a store's initialisation once, however many callers race to it: the first caller runs it,
/// the others wait and then return; a failed attempt is tried again by the next caller.
/// </summary>
public sealed class RunOnce
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    /// <summary>Runs <paramref name="action"/> unless a run has already succeeded.</summary>
    public async Task RunAsync(Func<Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await action().ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
