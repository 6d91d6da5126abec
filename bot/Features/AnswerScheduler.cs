namespace CaravanBot.Bot.Features;

/// <summary>Who waits for an answering slot: interactions, which Discord gives 3 s, before messages.</summary>
public enum AnswerPriority
{
    /// <summary>A slash command or message command: its first response is due within Discord's 3 s.</summary>
    Interaction,

    /// <summary>A mention or DM: no deadline but the reader's patience.</summary>
    Message,
}

/// <summary>
/// Runs the answering work a few at a time (one slot per processor), interactions first. Answering is CPU-bound
/// (the embedding model and the search take milliseconds, synchronously), so a burst of questions that all start
/// at once would fill the thread pool with answers and leave nothing to send an interaction's 3-second callback
/// or read the gateway. A slot is held only while the work runs synchronously: an answer that waits on the
/// network (a language model) gives its slot back while it waits.
/// </summary>
public sealed class AnswerScheduler
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _interactions = new();
    private readonly Queue<TaskCompletionSource> _messages = new();
    private readonly int _slots;
    private int _busy;

    /// <summary>One slot per processor.</summary>
    public AnswerScheduler()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>A scheduler with <paramref name="slots"/> slots (at least one).</summary>
    internal AnswerScheduler(int slots)
    {
        _slots = Math.Max(1, slots);
    }

    /// <summary>True when every slot is taken: a question arriving now waits before it is even looked at.</summary>
    public bool IsBusy
    {
        get
        {
            lock (_lock)
            {
                return _busy >= _slots;
            }
        }
    }

    /// <summary>Waits for a slot (interactions first), starts <paramref name="work"/> in it and awaits its result outside it.</summary>
    public async Task<T> RunAsync<T>(AnswerPriority priority, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnterAsync(priority, cancellationToken).ConfigureAwait(false);
        Task<T> running;
        try
        {
            running = work();
        }
        finally
        {
            Leave();
        }

        return await running.ConfigureAwait(false);
    }

    private async Task EnterAsync(AnswerPriority priority, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_busy < _slots)
            {
                _busy++;
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (priority == AnswerPriority.Interaction ? _interactions : _messages).Enqueue(waiter);
        }

        // A waiter cancelled before it was handed a slot stays queued; Leave skips it (its TrySetResult fails).
        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Hands the slot to the next waiter (interactions first), or frees it.</summary>
    private void Leave()
    {
        lock (_lock)
        {
            while (_interactions.Count > 0 || _messages.Count > 0)
            {
                var next = _interactions.Count > 0 ? _interactions.Dequeue() : _messages.Dequeue();
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _busy--;
        }
    }
}
