using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace CaravanBot.Bot.Discord.Gateway;

/// <summary>
/// Spaces IDENTIFYs as Discord asks: one per <see cref="GatewayClientOptions.IdentifyInterval"/> (5 s) in each
/// <c>max_concurrency</c> bucket, a shard's bucket being <c>shard_id % max_concurrency</c>. Within a process the
/// shards take turns on an in-memory lock per bucket. Processes that share a bot token share the budget through
/// <see cref="DiscordOptions.IdentifyLockDirectory"/>: a lock file per bucket, held (an exclusive lock, <c>flock</c>
/// on Linux) from the wait until the IDENTIFY is sent, holds the time of the bucket's last IDENTIFY, so a shard in
/// another process waits out the same interval. Without the directory the spacing holds within the process only.
/// </summary>
public sealed class IdentifyGate
{
    private static readonly TimeSpan LockRetry = TimeSpan.FromMilliseconds(50);

    private readonly string? _directory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Creates the gate.</summary>
    /// <param name="directory">A folder shared by every process running this bot's shards, or null to space IDENTIFYs within this process only.</param>
    /// <param name="timeProvider">Clock for the waits and the recorded times.</param>
    public IdentifyGate(string? directory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _directory = string.IsNullOrWhiteSpace(directory) ? null : directory;
        _time = timeProvider;
    }

    /// <summary>The shared folder, or null when the spacing holds within this process only.</summary>
    public string? Directory => _directory;

    /// <summary>
    /// Waits until <paramref name="shard"/>'s bucket may identify again, and holds the bucket until the returned turn
    /// is marked or disposed. <paramref name="onWait"/> is told how long the wait is before it starts.
    /// </summary>
    public async Task<IdentifyTurn> WaitTurnAsync(GatewayShard shard, int maxConcurrency, TimeSpan interval, Action<TimeSpan>? onWait, CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero)
        {
            return IdentifyTurn.Free;
        }

        var concurrency = Math.Max(1, maxConcurrency);
        var name = string.Create(CultureInfo.InvariantCulture, $"identify-bucket-{shard.Id % concurrency}-of-{concurrency}");
        var bucket = _buckets.GetOrAdd(name, _ => new Bucket());
        await bucket.Lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        FileStream? file = null;
        try
        {
            if (_directory is not null)
            {
                file = await LockFileAsync(Path.Combine(_directory, name + ".lock"), cancellationToken).ConfigureAwait(false);
            }

            var last = bucket.LastIdentify;
            if (file is not null && ReadTime(file) is { } shared && shared > last)
            {
                last = shared;
            }

            var wait = last + interval - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                onWait?.Invoke(wait);
                await Task.Delay(wait > interval ? interval : wait, _time, cancellationToken).ConfigureAwait(false);
            }

            return new IdentifyTurn(bucket, file, _time);
        }
        catch
        {
            file?.Dispose();
            bucket.Lock.Release();
            throw;
        }
    }

    private static async Task<FileStream> LockFileAsync(string path, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive lock on the file (flock on Linux): another process gets an IOException.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
            }
            catch (IOException)
            {
                await Task.Delay(LockRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static DateTimeOffset? ReadTime(FileStream file)
    {
        file.Position = 0;
        var buffer = new byte[64];
        var length = file.Read(buffer, 0, buffer.Length);
        return long.TryParse(Encoding.ASCII.GetString(buffer, 0, length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
    }

    internal sealed class Bucket
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public DateTimeOffset LastIdentify { get; set; } = DateTimeOffset.MinValue;
    }
}

/// <summary>A shard's turn to identify: mark it when IDENTIFY is sent, dispose it to let the next shard of the bucket go.</summary>
public sealed class IdentifyTurn : IDisposable
{
    private readonly IdentifyGate.Bucket? _bucket;
    private readonly FileStream? _file;
    private readonly TimeProvider? _time;
    private int _released;

    internal IdentifyTurn(IdentifyGate.Bucket? bucket, FileStream? file, TimeProvider? time)
    {
        _bucket = bucket;
        _file = file;
        _time = time;
    }

    /// <summary>A turn that holds nothing (no spacing asked for).</summary>
    internal static IdentifyTurn Free { get; } = new(null, null, null);

    /// <summary>Records that IDENTIFY went out now, then releases the bucket.</summary>
    public void MarkIdentified()
    {
        if (_bucket is null || Volatile.Read(ref _released) != 0)
        {
            return;
        }

        var now = _time!.GetUtcNow();
        _bucket.LastIdentify = now;
        if (_file is not null)
        {
            try
            {
                var text = Encoding.ASCII.GetBytes(now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
                _file.SetLength(0);
                _file.Position = 0;
                _file.Write(text);
                _file.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // The in-process spacing still holds; another process may identify a little early, and Discord would
                // answer that with an invalid session, which the client waits out.
            }
        }

        Dispose();
    }

    /// <summary>Releases the bucket (without recording an IDENTIFY when none was marked).</summary>
    public void Dispose()
    {
        if (_bucket is null || Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _file?.Dispose();
        _bucket.Lock.Release();
    }
}
