using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log in one SQLite file (<see cref="AnswerLogOptions.Path"/>).
/// </summary>
/// <remarks>
/// <para>
/// Durability: the file is in WAL mode and every write is one <c>BEGIN IMMEDIATE</c> transaction
/// that has committed before the method returns. In WAL mode a committed transaction is in the WAL
/// file (at least in the OS page cache) and survives the process being killed at any point;
/// <c>synchronous=FULL</c>, the default, also fsyncs the WAL on each commit, so it survives a power
/// cut or kernel crash too. The cost is one fsync per answer, vote or moderator action: a few
/// milliseconds, against replies that take hundreds.
/// </para>
/// <para>
/// Concurrency: every operation takes a pooled connection of its own. Reads run in parallel on a
/// snapshot (one read transaction per call, so a record's history, correction and votes agree).
/// Writes inside this process queue on one async gate, so they wait without blocking threads and
/// never contend in SQLite's busy handler; writes from another process (the bot and a moderator's
/// <c>caravanbot review approve</c>) wait through <c>busy_timeout</c>, and a write that still finds
/// the file busy is rolled back and retried a few times before it fails. <c>BEGIN IMMEDIATE</c>
/// takes the write lock up front, so a read-then-write (a vote) can never deadlock with another writer.
/// </para>
/// <para>
/// Schema: migrated on first use (or by <see cref="InitializeAsync"/>, which a host calls at
/// start-up to fail fast); a file from a newer CaravanBot is refused and left untouched.
/// </para>
/// </remarks>
public sealed class SqliteAnswerLog : IAnswerLog, IAnswerLogChanges, IAsyncDisposable, IDisposable
{
    private const int MaxWriteAttempts = 4;
    private const int ExportPageSize = 256;

    // SQLite's primary result codes this class tells apart.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqlitePermission = 3;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private const string SelectFeedback =
        "SELECT answer_id, voter_id, voter_name, vote, reason, at FROM feedback "
        + "WHERE answer_id IN (SELECT value FROM json_each($ids)) ORDER BY rowid;";

    private const string InsertAnswer = """
        INSERT INTO answers (at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason,
                             answer_text, citations_json, scores_json, mode, latency_ms, served_correction_of,
                             article_hash, article_title)
        VALUES ($at, $guild_id, $channel_id, $asker_id, $asker_name, $source, $question, $answered, $reason,
                $answer_text, $citations_json, $scores_json, $mode, $latency_ms, $served_correction_of,
                $article_hash, $article_title)
        RETURNING id;
        """;

    private const string InsertStatusChange = """
        INSERT INTO status_changes (answer_id, status, by_id, by_name, at, note) VALUES ($id, $status, $by_id, $by_name, $at, $note) RETURNING id;
        """;

    private const string SelectChanges = """
        SELECT s.id, s.answer_id, s.status, f.status_change_id IS NOT NULL AND f.claimed_by IS NULL
        FROM status_changes s LEFT JOIN follow_ups f ON f.status_change_id = s.id
        WHERE s.id > $after ORDER BY s.id LIMIT $take;
        """;

    private const string SelectPendingFollowUps = """
        SELECT s.id, s.answer_id, s.status, 1
        FROM follow_ups f JOIN status_changes s ON s.id = f.status_change_id
        WHERE f.claimed_by IS NULL ORDER BY s.id;
        """;

    private const string InsertCorrection = """
        INSERT INTO corrections (answer_id, text, citations_json, by_id, by_name, at, article_hash, article_title)
        VALUES ($id, $text, $citations_json, $by_id, $by_name, $at, $article_hash, $article_title);
        """;

    private readonly ILogger<SqliteAnswerLog> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly string _connectionString;
    private readonly string _connectionPragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly RunOnce _initialization = new();
    private readonly bool _readOnly;
    private readonly TimeSpan _busyTimeout;
    private readonly TimeSpan _pollInterval;
    private readonly AnswerLogWriter _writer;
    private AnswerLogQueries _queries = AnswerLogQueries.Latest;
    private volatile bool _disposed;

    /// <summary>
    /// Creates the log; nothing touches the file until the first call or <see cref="InitializeAsync"/>.
    /// <paramref name="writer"/> says who writes through it (a bot by default; see <see cref="AnswerLogWriter"/>).
    /// </summary>
    public SqliteAnswerLog(IOptions<AnswerLogOptions> options, ILogger<SqliteAnswerLog> logger, TimeProvider? timeProvider = null, AnswerLogWriter? writer = null)
        : this(options, logger, timeProvider, readOnly: false, writer)
    {
    }

    /// <summary>
    /// Creates the log. Read-only (<c>caravanbot review list|show|export</c>): the file is opened with
    /// SQLite's read-only flag, never created, never migrated and never switched to WAL; a file of the
    /// previous schema version is read as it is, and every write throws.
    /// </summary>
    internal SqliteAnswerLog(IOptions<AnswerLogOptions> options, ILogger<SqliteAnswerLog> logger, TimeProvider? timeProvider, bool readOnly, AnswerLogWriter? writer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        var validation = new AnswerLogOptionsValidator().Validate(null, settings);
        if (settings.Provider != AnswerLogProvider.Sqlite)
        {
            throw new ArgumentException($"{nameof(SqliteAnswerLog)} keeps the {AnswerLogProvider.Sqlite} store, not {settings.Provider}", nameof(options));
        }

        if (validation.Failed)
        {
            throw new OptionsValidationException(AnswerLogOptions.SectionName, typeof(AnswerLogOptions), validation.Failures);
        }

        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _readOnly = readOnly;
        _busyTimeout = settings.BusyTimeout;
        _pollInterval = settings.ChangePollInterval;
        _writer = writer ?? AnswerLogWriter.Bot;
        DatabasePath = settings.FullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,

            // Microsoft.Data.Sqlite's own retry of a busy statement, on top of SQLite's busy_timeout.
            DefaultTimeout = (int)Math.Ceiling(settings.BusyTimeout.TotalSeconds),
        }.ToString();

        // Per-connection settings (WAL itself is stored in the file). PRAGMA takes no parameters;
        // both values come from validated options, not from input.
        var synchronous = settings.Synchronous == AnswerLogSynchronous.Full ? "FULL" : "NORMAL";
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)settings.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous};");
    }

    /// <summary>The database file, as an absolute path.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Creates the folder and the file if needed, checks that the file is empty or CaravanBot's own log
    /// (anything else is refused untouched), switches it to WAL mode and applies missing schema
    /// migrations; read-only, only checks that the file is a log this build can read. Every other method calls it first, so calling it is optional; a host calls
    /// it at start-up (see <see cref="AnswerLogInitializer"/>) so a bad file stops the bot before it
    /// answers anyone. Safe to call concurrently and repeatedly.
    /// </summary>
    /// <exception cref="AnswerLogUnavailableException">
    /// The file is from a newer CaravanBot, is not an SQLite database or not CaravanBot's, is damaged,
    /// cannot be opened, or a migration failed.
    /// </exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _initialization.RunAsync(
            () =>
            {
                try
                {
                    if (_readOnly)
                    {
                        OpenForReading();
                    }
                    else
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
                        OpenForWriting();
                    }
                }
                catch (SqliteException ex)
                {
                    throw Unavailable(ex);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new AnswerLogUnavailableException($"cannot open the answer log {DatabasePath}: {ex.Message}", ex);
                }

                return Task.CompletedTask;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long> RecordAsync(NewAnswer answer, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.Validate(answer);
        var citations = LoggedCitationsJson.Serialize(answer.Citations);
        return WriteAsync(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, InsertAnswer);
                Bind(command, "$at", AnswerLogValues.FormatTime(answer.At));
                Bind(command, "$guild_id", answer.GuildId);
                Bind(command, "$channel_id", answer.ChannelId);
                Bind(command, "$asker_id", answer.Asker.Id);
                Bind(command, "$asker_name", answer.Asker.Name);
                Bind(command, "$source", answer.Source);
                Bind(command, "$question", answer.Question);
                Bind(command, "$answered", answer.Answered ? 1 : 0);
                Bind(command, "$reason", answer.Reason);
                Bind(command, "$answer_text", answer.AnswerText);
                Bind(command, "$citations_json", citations);
                Bind(command, "$scores_json", answer.ScoresJson);
                Bind(command, "$mode", answer.Mode);
                Bind(command, "$latency_ms", answer.LatencyMs);
                Bind(command, "$served_correction_of", answer.ServedCorrectionOf);
                Bind(command, "$article_hash", answer.Article?.ContentHash);
                Bind(command, "$article_title", answer.Article?.Title);
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown id is logged as a warning and ignored: the reply was sent either way.</remarks>
    public Task SetReplyAsync(long id, string channelId, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        return WriteAsync(
            (connection, transaction) =>
            {
                using var command = CreateCommand(
                    connection, transaction, "UPDATE answers SET reply_channel_id = $channel_id, reply_message_id = $message_id WHERE id = $id;");
                Bind(command, "$id", id);
                Bind(command, "$channel_id", channelId);
                Bind(command, "$message_id", messageId);
                if (command.ExecuteNonQuery() == 0)
                {
                    AnswerLogLog.UnknownAnswer(_logger, id, "reply message id");
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>An unknown id is logged as a warning and ignored: the card was posted either way.</remarks>
    public Task SetReviewMessageAsync(long id, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        return WriteAsync(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, "UPDATE answers SET review_message_id = $message_id WHERE id = $id;");
                Bind(command, "$id", id);
                Bind(command, "$message_id", messageId);
                if (command.ExecuteNonQuery() == 0)
                {
                    AnswerLogLog.UnknownAnswer(_logger, id, "review card id");
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction) => LoadRecord(connection, transaction, id), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Newest first means most recently logged first (highest id), which also keeps pages stable while answers arrive.</remarks>
    public Task<IReadOnlyList<AnswerRecord>> ListAsync(AnswerStatus? status, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return ReadAsync<IReadOnlyList<AnswerRecord>>(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, status is null ? _queries.SelectLatest : _queries.SelectLatestInStatus);
                Bind(command, "$skip", skip);
                Bind(command, "$take", take);
                if (status is { } wanted)
                {
                    Bind(command, "$status", wanted.ToCode());
                }

                return LoadRecords(command);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Setting <see cref="AnswerStatus.Corrected"/> here re-instates the latest correction and needs
    /// one to exist (use <see cref="CorrectAsync"/> to write a correction).
    /// </remarks>
    /// <exception cref="InvalidOperationException">Corrected was asked for an answer that has no correction.</exception>
    public Task<AnswerRecord?> ChangeStatusAsync(long id, AnswerStatus status, Actor by, string? note, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateStatus(status);
        AnswerLogValues.ValidateActor(by);
        return WriteAsync(
            (connection, transaction) =>
            {
                if (!Exists(connection, transaction, id))
                {
                    return null;
                }

                if (status == AnswerStatus.Corrected && !HasCorrection(connection, transaction, id))
                {
                    throw new InvalidOperationException($"answer {id} has no correction to re-instate; store one with CorrectAsync");
                }

                AppendStatus(connection, transaction, id, status, by, _timeProvider.GetUtcNow(), note, _writer);
                return LoadRecord(connection, transaction, id);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AnswerRecord?> CorrectAsync(long id, Correction correction, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateCorrection(correction);
        var citations = LoggedCitationsJson.Serialize(correction.Citations);
        return WriteAsync(
            (connection, transaction) =>
            {
                if (!Exists(connection, transaction, id))
                {
                    return null;
                }

                using (var command = CreateCommand(connection, transaction, InsertCorrection))
                {
                    Bind(command, "$id", id);
                    Bind(command, "$text", correction.Text);
                    Bind(command, "$citations_json", citations);
                    Bind(command, "$by_id", correction.By.Id);
                    Bind(command, "$by_name", correction.By.Name);
                    Bind(command, "$at", AnswerLogValues.FormatTime(correction.At));
                    Bind(command, "$article_hash", correction.Article?.ContentHash);
                    Bind(command, "$article_title", correction.Article?.Title);
                    command.ExecuteNonQuery();
                }

                AppendStatus(connection, transaction, id, AnswerStatus.Corrected, correction.By, correction.At, note: null, _writer);
                return LoadRecord(connection, transaction, id);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vote"/> is not +1 or -1.</exception>
    public Task<(VoteOutcome Outcome, AnswerRecord Record)?> VoteAsync(
        long id, Actor voter, int vote, string? reason, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateVote(vote, voter);
        return WriteAsync<(VoteOutcome, AnswerRecord)?>(
            (connection, transaction) =>
            {
                if (!Exists(connection, transaction, id))
                {
                    return null;
                }

                int? previous;
                using (var command = CreateCommand(connection, transaction, "SELECT vote FROM feedback WHERE answer_id = $id AND voter_id = $voter_id;"))
                {
                    Bind(command, "$id", id);
                    Bind(command, "$voter_id", voter.Id);
                    previous = command.ExecuteScalar() is { } value and not DBNull ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
                }

                var (outcome, sql) = previous switch
                {
                    null => (VoteOutcome.Added,
                        "INSERT INTO feedback (answer_id, voter_id, voter_name, vote, reason, at) VALUES ($id, $voter_id, $voter_name, $vote, $reason, $at);"),
                    var same when same == vote => (VoteOutcome.Withdrawn,
                        "DELETE FROM feedback WHERE answer_id = $id AND voter_id = $voter_id;"),
                    _ => (VoteOutcome.Changed,
                        "UPDATE feedback SET voter_name = $voter_name, vote = $vote, reason = $reason, at = $at WHERE answer_id = $id AND voter_id = $voter_id;"),
                };
                using (var command = CreateCommand(connection, transaction, sql))
                {
                    Bind(command, "$id", id);
                    Bind(command, "$voter_id", voter.Id);
                    if (outcome != VoteOutcome.Withdrawn)
                    {
                        Bind(command, "$voter_name", voter.Name);
                        Bind(command, "$vote", vote);
                        Bind(command, "$reason", reason);
                        Bind(command, "$at", AnswerLogValues.FormatTime(_timeProvider.GetUtcNow()));
                    }

                    command.ExecuteNonQuery();
                }

                return (outcome, LoadRecord(connection, transaction, id)!);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// An abstention is an answer with <c>answered = false</c> whose reason is not
    /// <c>empty_question</c> (an empty mention is not a question the bot failed). Unanswered
    /// questions are grouped ignoring case and runs of whitespace; each group is shown in its most
    /// frequent spelling.
    /// </remarks>
    public Task<ReviewStats> GetStatsAsync(int topUnanswered, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topUnanswered);
        return ReadAsync(
            (connection, transaction) =>
            {
                var byStatus = AnswerStatusCodes.All.ToDictionary(s => s.Status, _ => 0);
                using (var command = CreateCommand(connection, transaction, "SELECT status, COUNT(*) FROM answers GROUP BY status;"))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        byStatus[AnswerStatusCodes.Parse(reader.GetString(0))] = reader.GetInt32(1);
                    }
                }

                int total, abstentions, upvotes, downvotes;
                using (var command = CreateCommand(
                    connection,
                    transaction,
                    "SELECT COUNT(*), COALESCE(SUM(answered = 0 AND COALESCE(reason, '') <> 'empty_question'), 0) FROM answers;"))
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    total = reader.GetInt32(0);
                    abstentions = reader.GetInt32(1);
                }

                using (var command = CreateCommand(
                    connection, transaction, "SELECT COALESCE(SUM(vote > 0), 0), COALESCE(SUM(vote < 0), 0) FROM feedback;"))
                using (var reader = command.ExecuteReader())
                {
                    reader.Read();
                    upvotes = reader.GetInt32(0);
                    downvotes = reader.GetInt32(1);
                }

                return new ReviewStats
                {
                    ByStatus = byStatus,
                    Total = total,
                    Abstentions = abstentions,
                    Upvotes = upvotes,
                    Downvotes = downvotes,
                    TopUnanswered = topUnanswered == 0 ? [] : TopUnanswered(connection, transaction, topUnanswered),
                };
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AnswerRecord>> GetCorrectedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AnswerRecord>>(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, _queries.SelectCorrected);
                return LoadRecords(command);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Reads in pages of a few hundred answers, each in its own short read transaction, so a long
    /// export never holds a connection (or the WAL) while the caller writes; answers logged during
    /// the export appear if they arrive before the export reaches their id.
    /// </remarks>
    public async IAsyncEnumerable<AnswerRecord> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = 0L;
        while (true)
        {
            var page = await ReadAsync(
                (connection, transaction) =>
                {
                    using var command = CreateCommand(connection, transaction, _queries.SelectExportPage);
                    Bind(command, "$after", after);
                    Bind(command, "$take", ExportPageSize);
                    return LoadRecords(command);
                },
                cancellationToken).ConfigureAwait(false);

            foreach (var record in page)
            {
                yield return record;
            }

            if (page.Count < ExportPageSize)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <inheritdoc />
    public Task<long> GetLatestChangeAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, "SELECT COALESCE(MAX(id), 0) FROM status_changes;");
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Writers hold the file's write lock from their first statement, so ids are in commit order.</remarks>
    public Task<IReadOnlyList<AnswerLogChange>> GetChangesAfterAsync(long after, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return ReadAsync<IReadOnlyList<AnswerLogChange>>(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, SelectChanges);
                Bind(command, "$after", after);
                Bind(command, "$take", take);
                return ReadChanges(command);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AnswerLogChange>> GetPendingFollowUpsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AnswerLogChange>>(
            (connection, transaction) =>
            {
                using var command = CreateCommand(connection, transaction, SelectPendingFollowUps);
                return ReadChanges(command);
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> ClaimFollowUpAsync(long sequence, string claimant, CancellationToken cancellationToken = default) =>
        SetFollowUpClaimAsync(sequence, claimant, claim: true, cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReleaseFollowUpAsync(long sequence, string claimant, CancellationToken cancellationToken = default) =>
        SetFollowUpClaimAsync(sequence, claimant, claim: false, cancellationToken);

    /// <summary>Claims an unclaimed follow-up for <paramref name="claimant"/>, or gives back one it holds; true when the row changed.</summary>
    private Task<bool> SetFollowUpClaimAsync(long sequence, string claimant, bool claim, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claimant);
        return WriteAsync(
            (connection, transaction) =>
            {
                using var command = CreateCommand(
                    connection,
                    transaction,
                    claim
                        ? "UPDATE follow_ups SET claimed_by = $by, claimed_at = $at WHERE status_change_id = $id AND claimed_by IS NULL;"
                        : "UPDATE follow_ups SET claimed_by = NULL, claimed_at = NULL WHERE status_change_id = $id AND claimed_by = $by;");
                Bind(command, "$id", sequence);
                Bind(command, "$by", claimant);
                if (claim)
                {
                    Bind(command, "$at", AnswerLogValues.FormatTime(_timeProvider.GetUtcNow()));
                }

                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>SQLite tells no other process of a commit: this waits one poll interval (<see cref="AnswerLogOptions.ChangePollInterval"/>).</remarks>
    public Task WaitForChangeAsync(TimeSpan longest, CancellationToken cancellationToken = default) =>
        Task.Delay(longest < _pollInterval ? longest : _pollInterval, _timeProvider, cancellationToken);

    /// <summary>Closes the pooled connections, which lets SQLite checkpoint and remove the WAL file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc cref="Dispose" />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        if (_readOnly)
        {
            throw new InvalidOperationException($"The answer log {DatabasePath} was opened read-only.");
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    using var connection = OpenConnection();
                    using var transaction = connection.BeginTransaction(deferred: false);
                    var result = write(connection, transaction);
                    transaction.Commit();
                    return result;
                }
                catch (SqliteException ex) when (IsBusy(ex) && attempt < MaxWriteAttempts)
                {
                    // Nothing was committed (the transaction rolled back on dispose), so trying again is safe.
                    AnswerLogLog.BusyRetry(_logger, ex, DatabasePath, attempt, MaxWriteAttempts);
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex)
                {
                    throw Unavailable(ex);
                }
                catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidCastException)
                {
                    throw Malformed(ex);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> read, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = OpenConnection();

            // A deferred transaction reads one snapshot: an answer and its history, correction and votes agree.
            using var transaction = connection.BeginTransaction(deferred: true);
            var result = read(connection, transaction);
            transaction.Commit();
            return result;
        }
        catch (SqliteException ex)
        {
            throw Unavailable(ex);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidCastException)
        {
            throw Malformed(ex);
        }
    }

    /// <summary>Read-only: the file must already be a log of a schema version this build reads (the current one or the one before).</summary>
    private void OpenForReading()
    {
        using var connection = OpenConnection();
        var version = AnswerLogMigrations.ReadVersion(connection);
        AnswerLogMigrations.ThrowIfNewer(version, DatabasePath);
        if (version == 0)
        {
            throw NotALog(AnswerLogMigrations.Tables(connection));
        }

        if (version < AnswerLogQueries.OldestReadable)
        {
            throw new AnswerLogUnavailableException(
                $"the answer log {DatabasePath} has schema version {version}, too old to read without upgrading it; "
                + "start the bot (caravanbot run) or run a review write command once to upgrade it");
        }

        if (AnswerLogMigrations.MissingSchema(connection, version) is { } missing)
        {
            throw new AnswerLogUnavailableException($"{DatabasePath} is not a usable answer log: {missing}. The file was not changed.");
        }

        _queries = AnswerLogQueries.For(version);
        AnswerLogLog.Opened(_logger, DatabasePath, version);
    }

    /// <summary>
    /// Write mode: only an empty file or CaravanBot's own log is upgraded. Another program's database, a
    /// log from a newer CaravanBot or a file whose schema is not what its version says is refused
    /// before anything is written (not even the switch to WAL).
    /// </summary>
    private void OpenForWriting()
    {
        using var connection = OpenConnection();
        // The version and the tables are read from one snapshot: read one after the other, another
        // process creating the log in between made a new log look like another program's tables.
        using (var snapshot = connection.BeginTransaction(deferred: true))
        {
            var version = AnswerLogMigrations.ReadVersion(connection, snapshot);
            AnswerLogMigrations.ThrowIfNewer(version, DatabasePath);
            if (version == 0 && AnswerLogMigrations.Tables(connection, snapshot) is { Count: > 0 } tables)
            {
                throw NotALog(tables);
            }

            if (version > 0 && AnswerLogMigrations.MissingSchema(connection, version, snapshot) is { } missing)
            {
                throw new AnswerLogUnavailableException($"{DatabasePath} is not a usable answer log: {missing}. The file was not changed.");
            }

            snapshot.Commit();
        }

        EnableWal(connection);
        foreach (var step in AnswerLogMigrations.Apply(connection, DatabasePath, AnswerLogMigrations.LatestVersion))
        {
            AnswerLogLog.Migrated(_logger, DatabasePath, step.Version, step.Description);
        }

        _queries = AnswerLogQueries.Latest;
        AnswerLogLog.Opened(_logger, DatabasePath, AnswerLogMigrations.LatestVersion);
    }

    private AnswerLogUnavailableException NotALog(IReadOnlyList<string> tables) => new(tables.Count == 0
        ? $"{DatabasePath} is not a CaravanBot answer log: it is empty (the bot creates the log when it starts). The file was not changed."
        : $"{DatabasePath} is not a CaravanBot answer log: it holds another program's tables ({string.Join(", ", tables.Take(5))}). The file was not changed.");

    /// <summary>One line naming the file and saying what went wrong, for every SQLite failure a user can meet.</summary>
    private AnswerLogUnavailableException Unavailable(SqliteException exception)
    {
        var why = exception.SqliteErrorCode switch
        {
            SqliteBusy or SqliteLocked => $"the answer log {DatabasePath} is locked by another program (gave up after waiting {_busyTimeout.TotalSeconds:0.#} s)",
            SqliteReadOnly => $"cannot write to the answer log {DatabasePath}: it is read-only (check the permissions of the file and its folder)",
            SqliteCorrupt or SqliteNotADatabase => $"{DatabasePath} is not a usable answer log (not an SQLite database, or damaged)",
            SqliteCantOpen or SqlitePermission or SqliteIoError => $"cannot open the answer log {DatabasePath}",
            _ => $"the answer log {DatabasePath} failed",
        };
        return new AnswerLogUnavailableException($"{why}: {exception.Message}", exception);
    }

    private AnswerLogUnavailableException Malformed(Exception exception) =>
        new($"the answer log {DatabasePath} holds a malformed row ({exception.Message}); repair or move the file", exception);

    private SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _connectionPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void EnableWal(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        var mode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? string.Empty;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            // Some network file systems cannot share the WAL index; the rollback journal is still durable.
            AnswerLogLog.NotWal(_logger, DatabasePath, mode);
        }
    }

    private static bool IsBusy(SqliteException exception) => exception.SqliteErrorCode is SqliteBusy or SqliteLocked;

    private static SqliteCommand CreateCommand(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Bind(SqliteCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        using var command = CreateCommand(connection, transaction, "SELECT 1 FROM answers WHERE id = $id;");
        Bind(command, "$id", id);
        return command.ExecuteScalar() is not null;
    }

    private static bool HasCorrection(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        using var command = CreateCommand(connection, transaction, "SELECT 1 FROM corrections WHERE answer_id = $id LIMIT 1;");
        Bind(command, "$id", id);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>
    /// Appends a status change and makes it the answer's status; from a terminal, also records the follow-up a
    /// running bot has to make in Discord (same transaction, so a change is never without it).
    /// </summary>
    private static void AppendStatus(
        SqliteConnection connection, SqliteTransaction transaction, long id, AnswerStatus status, Actor by, DateTimeOffset at, string? note, AnswerLogWriter writer)
    {
        long changeId;
        using (var command = CreateCommand(connection, transaction, InsertStatusChange))
        {
            Bind(command, "$id", id);
            Bind(command, "$status", status.ToCode());
            Bind(command, "$by_id", by.Id);
            Bind(command, "$by_name", by.Name);
            Bind(command, "$at", AnswerLogValues.FormatTime(at));
            Bind(command, "$note", note);
            changeId = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        using (var command = CreateCommand(connection, transaction, "UPDATE answers SET status = $status WHERE id = $id;"))
        {
            Bind(command, "$id", id);
            Bind(command, "$status", status.ToCode());
            command.ExecuteNonQuery();
        }

        if (writer.LeavesFollowUpToTheBot)
        {
            using var command = CreateCommand(connection, transaction, "INSERT INTO follow_ups (status_change_id, answer_id) VALUES ($change, $id);");
            Bind(command, "$change", changeId);
            Bind(command, "$id", id);
            command.ExecuteNonQuery();
        }
    }

    private AnswerRecord? LoadRecord(SqliteConnection connection, SqliteTransaction transaction, long id)
    {
        using var command = CreateCommand(connection, transaction, _queries.SelectById);
        Bind(command, "$id", id);
        return LoadRecords(command).SingleOrDefault();
    }

    /// <summary>Runs an answers query and attaches each answer's history, latest correction and votes.</summary>
    private List<AnswerRecord> LoadRecords(SqliteCommand answersQuery)
    {
        var records = new AnswerRecordReader();
        using (var reader = answersQuery.ExecuteReader())
        {
            while (reader.Read())
            {
                records.AddAnswer(reader);
            }
        }

        if (records.IsEmpty)
        {
            return [];
        }

        var ids = new StringBuilder("[").AppendJoin(',', records.Ids.Select(id => id.ToString(CultureInfo.InvariantCulture))).Append(']').ToString();
        ReadRelated(answersQuery, AnswerLogQueries.SelectHistory, ids, records.AddStatusChange);
        ReadRelated(answersQuery, _queries.SelectLatestCorrections, ids, records.AddCorrection);
        ReadRelated(answersQuery, SelectFeedback, ids, records.AddVote);
        return records.ToRecords();
    }

    /// <summary>Runs one of the answers' related queries (bound to the ids as a JSON array) in the answers query's transaction.</summary>
    private static void ReadRelated(SqliteCommand answersQuery, string sql, string ids, Action<SqliteDataReader> read)
    {
        using var command = CreateCommand(answersQuery.Connection!, answersQuery.Transaction!, sql);
        Bind(command, "$ids", ids);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            read(reader);
        }
    }

    private static List<AnswerLogChange> ReadChanges(SqliteCommand command)
    {
        var changes = new List<AnswerLogChange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            changes.Add(AnswerRecordReader.ReadChange(reader));
        }

        return changes;
    }

    private static IReadOnlyList<(string Question, int Count)> TopUnanswered(SqliteConnection connection, SqliteTransaction transaction, int top)
    {
        var questions = new UnansweredQuestions();
        using var command = CreateCommand(
            connection,
            transaction,
            "SELECT question FROM answers WHERE answered = 0 AND COALESCE(reason, '') <> 'empty_question' ORDER BY id;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            questions.Add(reader.GetString(0));
        }

        return questions.Top(top);
    }

}
