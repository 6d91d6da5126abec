using System.Collections.Concurrent;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// The readers' messages and interactions being answered, each on its own task so a slow answer never holds up the
/// next one, and the wait for them at shutdown: a grace period for answers already being written, then cancellation.
/// </summary>
internal sealed class InFlightHandlers : IDisposable
{
    private readonly ConcurrentDictionary<long, Task> _tasks = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _next;

    /// <summary>How many are still running.</summary>
    public int Count => _tasks.Count;

    /// <summary>
    /// Runs <paramref name="work"/> on its own task and returns at once. A cancellation at shutdown is reported to
    /// <paramref name="onAbandoned"/>, any other escaping failure to <paramref name="onFailed"/>; nothing is rethrown.
    /// </summary>
    public void Run(Func<CancellationToken, Task> work, Action onAbandoned, Action<Exception> onFailed)
    {
        var id = Interlocked.Increment(ref _next);
        var token = _stopping.Token;
        var task = Task.Run(
            async () =>
            {
                try
                {
                    await work(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    onAbandoned();
                }
                catch (Exception ex)
                {
                    onFailed(ex);
                }
            },
            CancellationToken.None);
        _tasks[id] = task;
        task.ContinueWith(_ => _tasks.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the running handlers, then cancels those left; returns how many were
    /// still running when the grace period ended (0 when all finished).
    /// </summary>
    public async Task<int> DrainAsync(TimeSpan grace)
    {
        var pending = _tasks.Values.ToArray();
        if (pending.Length == 0)
        {
            return 0;
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(grace).ConfigureAwait(false);
            return 0;
        }
        catch (TimeoutException)
        {
            var left = _tasks.Count;
            await _stopping.CancelAsync().ConfigureAwait(false);
            return left;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();
}
