using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log in one PostgreSQL database (<see cref="AnswerLogOptions.ConnectionString"/>), shared by any
/// number of bot processes and moderators' terminals. Same semantics as the SQLite store, held to the same
/// contract tests.
/// </summary>
/// <remarks>
/// <para>
/// Durability: every write is one transaction that has committed before the method returns; with the server's
/// default <c>synchronous_commit = on</c> that commit is flushed to its WAL, so it survives the bot, the
/// connection or the server being killed. A write whose connection fails before the commit was sent is rolled
/// back by the server and tried again on a new connection; one that fails while committing is reported
/// (<see cref="AnswerLogUnavailableException"/>), never repeated, so a commit whose outcome is unknown can never
/// be written twice.
/// </para>
/// <para>
/// Concurrency: each operation takes a pooled connection. Reads run in one REPEATABLE READ snapshot, so a record's
/// history, correction and votes agree. A write that reads before it writes (a status change, a correction, a
/// vote) first locks the answer's row, so what it reads back — the status it actually replaced, the votes after
/// it — is what it did, whoever else acts on the same answer at once. Status changes also take one transaction
/// lock, so their ids are in commit order: the change feed can follow them by position.
/// </para>
/// <para>
/// Schema: migrated on first use (or by <see cref="InitializeAsync"/>, which a host calls at start-up); a log from
/// a newer CaravanBot is refused and left untouched.
/// </para>
/// </remarks>
public sealed class PostgresAnswerLog : IAnswerLog, IAnswerLogChanges, IAsyncDisposable
{
    private const int MaxAttempts = 4;
    private const int ExportPageSize = 256;

    /// <summary>The lock status-change writers take so their ids are in commit order ("CaravChg" as a number).</summary>
    private const long StatusChangeLock = 0x43617261764368_67;

    private const string AnswerColumns =
        "id, at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason, answer_text, "
        + "citations_json::text, scores_json::text, mode, latency_ms, served_correction_of, reply_channel_id, reply_message_id, "
        + "review_message_id, status, article_hash, article_title";

    private const string InsertAnswer = """
        INSERT INTO answers (at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason,
                             answer_text, citations_json, scores_json, mode, latency_ms, served_correction_of,
                             article_hash, article_title)
        VALUES (@at, @guild_id, @channel_id, @asker_id, @asker_name, @source, @question, @answered, @reason,
                @answer_text, @citations_json, @scores_json, @mode, @latency_ms, @served_correction_of,
                @article_hash, @article_title)
        RETURNING id;
        """;

    private const string SelectChanges = """
        SELECT s.id, s.answer_id, s.status, f.status_change_id IS NOT NULL AND f.claimed_by IS NULL
        FROM status_changes s LEFT JOIN follow_ups f ON f.status_change_id = s.id
        WHERE s.id > @after ORDER BY s.id LIMIT @take;
        """;

    private const string SelectPendingFollowUps = """
        SELECT s.id, s.answer_id, s.status, true
        FROM follow_ups f JOIN status_changes s ON s.id = f.status_change_id
        WHERE f.claimed_by IS NULL ORDER BY s.id;
        """;

    private readonly ILogger<PostgresAnswerLog> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly RunOnce _initialization = new();
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly CancellationTokenSource _stopListening = new();
    private readonly bool _readOnly;
    private readonly AnswerLogWriter _writer;
    private readonly Lock _listenLock = new();
    private Task? _listening;
    private volatile bool _disposed;

    /// <summary>
    /// Creates the log; nothing connects until the first call or <see cref="InitializeAsync"/>.
    /// <paramref name="writer"/> says who writes through it (a bot by default; see <see cref="AnswerLogWriter"/>).
    /// </summary>
    public PostgresAnswerLog(IOptions<AnswerLogOptions> options, ILogger<PostgresAnswerLog> logger, TimeProvider? timeProvider = null, AnswerLogWriter? writer = null)
        : this(options, logger, timeProvider, readOnly: false, writer)
    {
    }

    /// <summary>
    /// Creates the log. Read-only (<c>caravanbot review list|show|export</c>): every transaction is read-only on the
    /// server (<c>default_transaction_read_only</c>), the schema is never created or migrated, and every write throws.
    /// </summary>
    internal PostgresAnswerLog(IOptions<AnswerLogOptions> options, ILogger<PostgresAnswerLog> logger, TimeProvider? timeProvider, bool readOnly, AnswerLogWriter? writer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        var validation = new AnswerLogOptionsValidator().Validate(null, settings);
        if (validation.Failed)
        {
            throw new OptionsValidationException(AnswerLogOptions.SectionName, typeof(AnswerLogOptions), validation.Failures);
        }

        if (settings.Provider != AnswerLogProvider.Postgres)
        {
            throw new ArgumentException($"{nameof(PostgresAnswerLog)} keeps the {AnswerLogProvider.Postgres} store, not {settings.Provider}", nameof(options));
        }

        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _readOnly = readOnly;
        _writer = writer ?? AnswerLogWriter.Bot;
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException(
                AnswerLogOptions.SectionName,
                typeof(AnswerLogOptions),
                [$"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.ConnectionString)} is not a PostgreSQL connection string: {ex.Message}"]);
        }

        if (string.IsNullOrWhiteSpace(builder.ApplicationName))
        {
            builder.ApplicationName = readOnly ? "caravanbot review (read-only)" : "caravanbot";
        }

        // Waiting for a lock is bounded like SQLite's busy timeout; read-only commands cannot write by mistake.
        var serverOptions = string.Create(CultureInfo.InvariantCulture, $"-c lock_timeout={(long)settings.BusyTimeout.TotalMilliseconds}");
        if (readOnly)
        {
            serverOptions += " -c default_transaction_read_only=on";
        }

        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? serverOptions : builder.Options + " " + serverOptions;
        Database = Describe(builder);
        _dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();

        // The listening connection is held for as long as the bot runs: outside the pool, with keepalives so a
        // dead server or network is noticed and the connection made again.
        var listen = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false, KeepAlive = 5 };
        listen.ApplicationName = builder.ApplicationName + " (listening for changes)";
        _listenConnectionString = listen.ConnectionString;
    }

    /// <summary>
    /// Refuse a database that holds no answer log instead of creating one (<c>caravanbot review</c>'s write commands:
    /// a mistyped connection string is reported, never answered from a new empty log).
    /// </summary>
    internal bool RequireExistingLog { get; init; }

    /// <summary>Which database this is, for messages: host, port, database and schema (never the password).</summary>
    public string Database { get; }

    /// <summary>
    /// Checks that the database is empty of answer-log tables or holds CaravanBot's own log (anything else is refused
    /// untouched) and applies missing schema migrations; read-only, only checks that it is a log this build can read.
    /// Every other method calls it first; a host calls it at start-up so a bad database stops the bot before it
    /// answers anyone. Safe to call concurrently and repeatedly, from any number of processes.
    /// </summary>
    /// <exception cref="AnswerLogUnavailableException">
    /// The server cannot be reached or refused the login, the log is from a newer CaravanBot or not CaravanBot's,
    /// or a migration failed.
    /// </exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _initialization.RunAsync(
            async () =>
            {
                try
                {
                    await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                    if (_readOnly)
                    {
                        await CheckReadableAsync(connection, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        if (RequireExistingLog && await PostgresAnswerLogMigrations.ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false) == 0)
                        {
                            throw NoLog();
                        }

                        foreach (var step in await PostgresAnswerLogMigrations.ApplyAsync(connection, Database, AnswerLogSchema.LatestVersion, cancellationToken).ConfigureAwait(false))
                        {
                            PostgresAnswerLogLog.Migrated(_logger, Database, step.Version, step.Description);
                        }

                        PostgresAnswerLogLog.Opened(_logger, Database, AnswerLogSchema.LatestVersion);
                    }
                }
                catch (NpgsqlException ex)
                {
                    throw Unavailable(ex);
                }
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<long> RecordAsync(NewAnswer answer, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.Validate(answer);
        var citations = LoggedCitationsJson.Serialize(answer.Citations);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, InsertAnswer);
                Bind(command, "at", AnswerLogValues.FormatTime(answer.At));
                Bind(command, "guild_id", answer.GuildId);
                Bind(command, "channel_id", answer.ChannelId);
                Bind(command, "asker_id", answer.Asker.Id);
                Bind(command, "asker_name", answer.Asker.Name);
                Bind(command, "source", answer.Source);
                Bind(command, "question", answer.Question);
                command.Parameters.AddWithValue("answered", answer.Answered);
                Bind(command, "reason", answer.Reason);
                Bind(command, "answer_text", answer.AnswerText);
                BindJson(command, "citations_json", citations);
                BindJson(command, "scores_json", answer.ScoresJson);
                Bind(command, "mode", answer.Mode);
                command.Parameters.AddWithValue("latency_ms", answer.LatencyMs);
                command.Parameters.Add(new NpgsqlParameter<long?>("served_correction_of", NpgsqlDbType.Bigint) { TypedValue = answer.ServedCorrectionOf });
                Bind(command, "article_hash", answer.Article?.ContentHash);
                Bind(command, "article_title", answer.Article?.Title);
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
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
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "UPDATE answers SET reply_channel_id = @channel_id, reply_message_id = @message_id WHERE id = @id;");
                command.Parameters.AddWithValue("id", id);
                Bind(command, "channel_id", channelId);
                Bind(command, "message_id", messageId);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                {
                    PostgresAnswerLogLog.UnknownAnswer(_logger, id, "reply message id");
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
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "UPDATE answers SET review_message_id = @message_id WHERE id = @id;");
                command.Parameters.AddWithValue("id", id);
                Bind(command, "message_id", messageId);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 0)
                {
                    PostgresAnswerLogLog.UnknownAnswer(_logger, id, "review card id");
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((connection, transaction, ct) => LoadRecordAsync(connection, transaction, id, ct), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Newest first means most recently logged first (highest id), which also keeps pages stable while answers arrive.</remarks>
    public Task<IReadOnlyList<AnswerRecord>> ListAsync(AnswerStatus? status, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return ReadAsync<IReadOnlyList<AnswerRecord>>(
            async (connection, transaction, ct) =>
            {
                var sql = status is null
                    ? $"SELECT {AnswerColumns} FROM answers ORDER BY id DESC LIMIT @take OFFSET @skip;"
                    : $"SELECT {AnswerColumns} FROM answers WHERE status = @status ORDER BY id DESC LIMIT @take OFFSET @skip;";
                await using var command = Command(connection, transaction, sql);
                command.Parameters.AddWithValue("skip", (long)skip);
                command.Parameters.AddWithValue("take", (long)take);
                if (status is { } wanted)
                {
                    Bind(command, "status", wanted.ToCode());
                }

                return await LoadRecordsAsync(command, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Setting <see cref="AnswerStatus.Corrected"/> here re-instates the latest correction and needs one to exist
    /// (use <see cref="CorrectAsync"/> to write a correction).
    /// </remarks>
    /// <exception cref="InvalidOperationException">Corrected was asked for an answer that has no correction.</exception>
    public Task<AnswerRecord?> ChangeStatusAsync(long id, AnswerStatus status, Actor by, string? note, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateStatus(status);
        AnswerLogValues.ValidateActor(by);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                if (!await LockAnswerAsync(connection, transaction, id, ct).ConfigureAwait(false))
                {
                    return null;
                }

                if (status == AnswerStatus.Corrected && !await HasCorrectionAsync(connection, transaction, id, ct).ConfigureAwait(false))
                {
                    throw new InvalidOperationException($"answer {id} has no correction to re-instate; store one with CorrectAsync");
                }

                await AppendStatusAsync(connection, transaction, id, status, by, _timeProvider.GetUtcNow(), note, ct).ConfigureAwait(false);
                return await LoadRecordAsync(connection, transaction, id, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<AnswerRecord?> CorrectAsync(long id, Correction correction, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateCorrection(correction);
        var citations = LoggedCitationsJson.Serialize(correction.Citations);
        return WriteAsync(
            async (connection, transaction, ct) =>
            {
                if (!await LockAnswerAsync(connection, transaction, id, ct).ConfigureAwait(false))
                {
                    return null;
                }

                await using (var command = Command(
                    connection,
                    transaction,
                    """
                    INSERT INTO corrections (answer_id, text, citations_json, by_id, by_name, at, article_hash, article_title)
                    VALUES (@id, @text, @citations_json, @by_id, @by_name, @at, @article_hash, @article_title);
                    """))
                {
                    command.Parameters.AddWithValue("id", id);
                    Bind(command, "text", correction.Text);
                    BindJson(command, "citations_json", citations);
                    Bind(command, "by_id", correction.By.Id);
                    Bind(command, "by_name", correction.By.Name);
                    Bind(command, "at", AnswerLogValues.FormatTime(correction.At));
                    Bind(command, "article_hash", correction.Article?.ContentHash);
                    Bind(command, "article_title", correction.Article?.Title);
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await AppendStatusAsync(connection, transaction, id, AnswerStatus.Corrected, correction.By, correction.At, note: null, ct).ConfigureAwait(false);
                return await LoadRecordAsync(connection, transaction, id, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vote"/> is not +1 or -1.</exception>
    public Task<(VoteOutcome Outcome, AnswerRecord Record)?> VoteAsync(long id, Actor voter, int vote, string? reason, CancellationToken cancellationToken = default)
    {
        AnswerLogValues.ValidateVote(vote, voter);
        return WriteAsync<(VoteOutcome, AnswerRecord)?>(
            async (connection, transaction, ct) =>
            {
                if (!await LockAnswerAsync(connection, transaction, id, ct).ConfigureAwait(false))
                {
                    return null;
                }

                int? previous;
                await using (var command = Command(connection, transaction, "SELECT vote FROM feedback WHERE answer_id = @id AND voter_id = @voter_id;"))
                {
                    command.Parameters.AddWithValue("id", id);
                    Bind(command, "voter_id", voter.Id);
                    previous = await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } value and not DBNull ? Convert.ToInt32(value, CultureInfo.InvariantCulture) : null;
                }

                var (outcome, sql) = previous switch
                {
                    null => (VoteOutcome.Added,
                        "INSERT INTO feedback (answer_id, voter_id, voter_name, vote, reason, at) VALUES (@id, @voter_id, @voter_name, @vote, @reason, @at);"),
                    var same when same == vote => (VoteOutcome.Withdrawn,
                        "DELETE FROM feedback WHERE answer_id = @id AND voter_id = @voter_id;"),
                    _ => (VoteOutcome.Changed,
                        "UPDATE feedback SET voter_name = @voter_name, vote = @vote, reason = @reason, at = @at WHERE answer_id = @id AND voter_id = @voter_id;"),
                };
                await using (var command = Command(connection, transaction, sql))
                {
                    command.Parameters.AddWithValue("id", id);
                    Bind(command, "voter_id", voter.Id);
                    if (outcome != VoteOutcome.Withdrawn)
                    {
                        Bind(command, "voter_name", voter.Name);
                        command.Parameters.AddWithValue("vote", (short)vote);
                        Bind(command, "reason", reason);
                        Bind(command, "at", AnswerLogValues.FormatTime(_timeProvider.GetUtcNow()));
                    }

                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return (outcome, (await LoadRecordAsync(connection, transaction, id, ct).ConfigureAwait(false))!);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// An abstention is an answer with <c>answered = false</c> whose reason is not <c>empty_question</c>. Unanswered
    /// questions are grouped as <see cref="UnansweredQuestions"/> says, the same way as in the SQLite store.
    /// </remarks>
    public Task<ReviewStats> GetStatsAsync(int topUnanswered, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topUnanswered);
        return ReadAsync(
            async (connection, transaction, ct) =>
            {
                var byStatus = AnswerStatusCodes.All.ToDictionary(s => s.Status, _ => 0);
                await using (var command = Command(connection, transaction, "SELECT status, COUNT(*) FROM answers GROUP BY status;"))
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        byStatus[AnswerStatusCodes.Parse(reader.GetString(0))] = checked((int)reader.GetInt64(1));
                    }
                }

                long total, abstentions, upvotes, downvotes;
                await using (var command = Command(
                    connection,
                    transaction,
                    "SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT answered AND COALESCE(reason, '') <> 'empty_question') FROM answers;"))
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    total = reader.GetInt64(0);
                    abstentions = reader.GetInt64(1);
                }

                await using (var command = Command(connection, transaction, "SELECT COUNT(*) FILTER (WHERE vote > 0), COUNT(*) FILTER (WHERE vote < 0) FROM feedback;"))
                await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
                {
                    await reader.ReadAsync(ct).ConfigureAwait(false);
                    upvotes = reader.GetInt64(0);
                    downvotes = reader.GetInt64(1);
                }

                var unanswered = new UnansweredQuestions();
                if (topUnanswered > 0)
                {
                    await using var command = Command(
                        connection, transaction, "SELECT question FROM answers WHERE NOT answered AND COALESCE(reason, '') <> 'empty_question' ORDER BY id;");
                    await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        unanswered.Add(reader.GetString(0));
                    }
                }

                return new ReviewStats
                {
                    ByStatus = byStatus,
                    Total = checked((int)total),
                    Abstentions = checked((int)abstentions),
                    Upvotes = checked((int)upvotes),
                    Downvotes = checked((int)downvotes),
                    TopUnanswered = topUnanswered == 0 ? [] : unanswered.Top(topUnanswered),
                };
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AnswerRecord>> GetCorrectedAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AnswerRecord>>(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, $"SELECT {AnswerColumns} FROM answers WHERE status = 'corrected' ORDER BY id;");
                return await LoadRecordsAsync(command, ct).ConfigureAwait(false);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Reads in pages of a few hundred answers, each in its own short read transaction.</remarks>
    public async IAsyncEnumerable<AnswerRecord> ExportAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var after = 0L;
        while (true)
        {
            var page = await ReadAsync(
                async (connection, transaction, ct) =>
                {
                    await using var command = Command(connection, transaction, $"SELECT {AnswerColumns} FROM answers WHERE id > @after ORDER BY id LIMIT @take;");
                    command.Parameters.AddWithValue("after", after);
                    command.Parameters.AddWithValue("take", (long)ExportPageSize);
                    return await LoadRecordsAsync(command, ct).ConfigureAwait(false);
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
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, "SELECT COALESCE(MAX(id), 0) FROM status_changes;");
                return Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>Status-change writers hold one transaction lock from before their insert to their commit, so ids are in commit order.</remarks>
    public Task<IReadOnlyList<AnswerLogChange>> GetChangesAfterAsync(long after, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        return ReadAsync<IReadOnlyList<AnswerLogChange>>(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, SelectChanges);
                command.Parameters.AddWithValue("after", after);
                command.Parameters.AddWithValue("take", (long)take);
                return await ReadChangesAsync(command, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AnswerLogChange>> GetPendingFollowUpsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<AnswerLogChange>>(
            async (connection, transaction, ct) =>
            {
                await using var command = Command(connection, transaction, SelectPendingFollowUps);
                return await ReadChangesAsync(command, ct).ConfigureAwait(false);
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
            async (connection, transaction, ct) =>
            {
                await using var command = Command(
                    connection,
                    transaction,
                    claim
                        ? "UPDATE follow_ups SET claimed_by = @by, claimed_at = @at WHERE status_change_id = @id AND claimed_by IS NULL;"
                        : "UPDATE follow_ups SET claimed_by = NULL, claimed_at = NULL WHERE status_change_id = @id AND claimed_by = @by;");
                command.Parameters.AddWithValue("id", sequence);
                Bind(command, "by", claimant);
                if (claim)
                {
                    Bind(command, "at", AnswerLogValues.FormatTime(_timeProvider.GetUtcNow()));
                }

                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The first call starts listening (LISTEN caravanbot_answer_log on a connection of its own, made again whenever
    /// it fails); a status change committed by any process wakes every listener. Right after (re)connecting the
    /// wait returns once, so a change committed while nobody listened is read too.
    /// </remarks>
    public async Task WaitForChangeAsync(TimeSpan longest, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_listenLock)
        {
            _listening ??= Task.Run(() => ListenAsync(_stopListening.Token), CancellationToken.None);
        }

        await _changed.WaitAsync(longest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes the pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopListening.CancelAsync().ConfigureAwait(false);
        if (_listening is { } listening)
        {
            await listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stopListening.Dispose();
    }

    private async Task ListenAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenConnectionString);
                connection.Notification += (_, _) => Signal();
                await connection.OpenAsync(stop).ConfigureAwait(false);
                await using (var command = new NpgsqlCommand($"LISTEN {PostgresAnswerLogMigrations.NotificationChannel};", connection))
                {
                    await command.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
                }

                PostgresAnswerLogLog.Listening(_logger, Database);
                delay = TimeSpan.FromMilliseconds(250);

                // Whatever was committed while nobody listened is read now.
                Signal();
                while (true)
                {
                    await connection.WaitAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                PostgresAnswerLogLog.ListenFailed(_logger, ex, Database, delay.TotalMilliseconds);
                Signal();
                try
                {
                    await Task.Delay(delay, _timeProvider, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private void Signal()
    {
        try
        {
            if (_changed.CurrentCount == 0)
            {
                _changed.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another notification got there first: one wake-up covers both.
        }
    }

    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (_readOnly)
        {
            throw new InvalidOperationException($"The answer log {Database} was opened read-only.");
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
                var result = await write(connection, transaction, cancellationToken).ConfigureAwait(false);
                committing = true;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception ex) when (ex is NpgsqlException && !committing && IsRetriable(ex) && attempt < MaxAttempts)
            {
                // Nothing was committed (the server rolls back a transaction whose connection is gone), so trying
                // again on a new connection is safe. Idle pooled connections to a restarted server are dead too.
                PostgresAnswerLogLog.WriteRetry(_logger, ex, Database, attempt, MaxAttempts);
                _dataSource.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex) when (committing)
            {
                _dataSource.Clear();
                throw new AnswerLogUnavailableException(
                    $"the answer log {Database} failed while committing; the write may or may not have been kept: {ex.Message}", ex);
            }
            catch (NpgsqlException ex)
            {
                if (IsConnectionLost(ex))
                {
                    _dataSource.Clear();
                }

                throw Unavailable(ex);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidCastException)
            {
                throw Malformed(ex);
            }
        }
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

                // One snapshot for the whole read: an answer and its history, correction and votes agree.
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
                var result = await read(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception ex) when (ex is NpgsqlException && IsRetriable(ex) && attempt < MaxAttempts)
            {
                _dataSource.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw Unavailable(ex);
            }
            catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidCastException)
            {
                throw Malformed(ex);
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Read-only: the schema must already be a log of a version this build reads.</summary>
    private async Task CheckReadableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var version = await PostgresAnswerLogMigrations.ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        PostgresAnswerLogMigrations.ThrowIfNewer(version, Database);
        if (version == 0)
        {
            throw NoLog();
        }

        if (version < PostgresAnswerLogMigrations.OldestReadable)
        {
            throw new AnswerLogUnavailableException(
                $"the answer log {Database} has schema version {version}, too old to read without upgrading it; "
                + "start the bot (caravanbot run) or run a review write command once to upgrade it");
        }

        if (await PostgresAnswerLogMigrations.MissingSchemaAsync(connection, null, version, cancellationToken).ConfigureAwait(false) is { } missing)
        {
            throw new AnswerLogUnavailableException($"{Database} is not a usable answer log: {missing}. Nothing was changed.");
        }

        PostgresAnswerLogLog.Opened(_logger, Database, version);
    }

    /// <summary>
    /// Worth trying again: a lost or refused connection, the server shutting down or restarting, too many
    /// connections, a serialization failure or a deadlock. Not a lock wait past <see cref="AnswerLogOptions.BusyTimeout"/>.
    /// </summary>
    private static bool IsRetriable(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState is "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "53300" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException || npgsql.InnerException is null,
        _ => false,
    };

    private static bool IsConnectionLost(NpgsqlException exception) =>
        exception is not PostgresException || ((PostgresException)exception).SqlState is "57P01" or "57P02" or "57P03";

    private AnswerLogUnavailableException Unavailable(NpgsqlException exception)
    {
        var why = exception switch
        {
            PostgresException { SqlState: "55P03" } => $"the answer log {Database} is locked by another process (gave up after waiting for the lock)",
            PostgresException { SqlState: "25006" } => $"cannot write to the answer log {Database}: the transaction is read-only",
            PostgresException { SqlState: "28P01" or "28000" } => $"the answer log {Database} refused the login (check AnswerLog:ConnectionString)",
            PostgresException { SqlState: "3D000" } => $"the answer log's database does not exist ({Database}); create it first",
            PostgresException { SqlState: "42501" } => $"the answer log {Database} refused access (permission denied)",
            PostgresException => $"the answer log {Database} failed",
            _ => $"cannot reach the answer log {Database}",
        };
        var detail = exception is PostgresException postgres ? postgres.MessageText : exception.Message;
        return new AnswerLogUnavailableException($"{why}: {detail}", exception);
    }

    private AnswerLogUnavailableException NoLog() =>
        new($"no answer log in {Database} (the bot creates it when it starts with the same AnswerLog:ConnectionString)");

    private AnswerLogUnavailableException Malformed(Exception exception) =>
        new($"the answer log {Database} holds a malformed row ({exception.Message}); repair it", exception);

    private static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        var host = string.IsNullOrWhiteSpace(builder.Host) ? "localhost" : builder.Host;
        var database = string.IsNullOrWhiteSpace(builder.Database) ? builder.Username ?? "postgres" : builder.Database;
        var schema = string.IsNullOrWhiteSpace(builder.SearchPath) ? string.Empty : $" (schema {builder.SearchPath})";
        return string.Create(CultureInfo.InvariantCulture, $"postgresql://{host}:{builder.Port}/{database}{schema}");
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) => new(sql, connection, transaction);

    /// <summary>Text as PostgreSQL can hold it: it refuses NUL and unpaired surrogates, which become U+FFFD (shown as � either way).</summary>
    private static void Bind(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.Add(new NpgsqlParameter<string?>(name, NpgsqlDbType.Text) { TypedValue = value is null ? null : Storable(value) });

    private static void BindJson(NpgsqlCommand command, string name, string json) =>
        command.Parameters.Add(new NpgsqlParameter<string>(name, NpgsqlDbType.Json) { TypedValue = Storable(json) });

    private static string Storable(string text)
    {
        var clean = true;
        for (var i = 0; i < text.Length && clean; i++)
        {
            var c = text[i];
            if (c == '\0' || (char.IsHighSurrogate(c) && (i + 1 == text.Length || !char.IsLowSurrogate(text[++i]))) || char.IsLowSurrogate(c))
            {
                clean = false;
            }
        }

        if (clean)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }

    private static async Task<bool> LockAnswerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT 1 FROM answers WHERE id = @id FOR UPDATE;");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task<bool> HasCorrectionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT 1 FROM corrections WHERE answer_id = @id LIMIT 1;");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Appends a status change and makes it the answer's status; from a terminal, also records the follow-up a running
    /// bot has to make in Discord (same transaction). The trigger on status_changes notifies listeners at commit.
    /// </summary>
    private async Task AppendStatusAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long id, AnswerStatus status, Actor by, DateTimeOffset at, string? note, CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            """
            SELECT pg_advisory_xact_lock(@lock);
            WITH change AS (
                INSERT INTO status_changes (answer_id, status, by_id, by_name, at, note)
                VALUES (@id, @status, @by_id, @by_name, @at, @note) RETURNING id, answer_id
            ), follow_up AS (
                INSERT INTO follow_ups (status_change_id, answer_id) SELECT id, answer_id FROM change WHERE @follow_up
            )
            UPDATE answers SET status = @status WHERE id = @id;
            """);
        command.Parameters.AddWithValue("lock", StatusChangeLock);
        command.Parameters.AddWithValue("id", id);
        Bind(command, "status", status.ToCode());
        Bind(command, "by_id", by.Id);
        Bind(command, "by_name", by.Name);
        Bind(command, "at", AnswerLogValues.FormatTime(at));
        Bind(command, "note", note);
        command.Parameters.AddWithValue("follow_up", _writer.LeavesFollowUpToTheBot);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AnswerRecord?> LoadRecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT {AnswerColumns} FROM answers WHERE id = @id;");
        command.Parameters.AddWithValue("id", id);
        return (await LoadRecordsAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Runs an answers query and attaches each answer's history, latest correction and votes.</summary>
    private static async Task<List<AnswerRecord>> LoadRecordsAsync(NpgsqlCommand answersQuery, CancellationToken cancellationToken)
    {
        var records = new AnswerRecordReader();
        await using (var reader = await answersQuery.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.AddAnswer(reader);
            }
        }

        if (records.IsEmpty)
        {
            return [];
        }

        var ids = records.Ids.ToArray();
        await ReadRelatedAsync(answersQuery, "SELECT answer_id, status, by_id, by_name, at, note FROM status_changes WHERE answer_id = ANY(@ids) ORDER BY id;", ids, records.AddStatusChange, cancellationToken).ConfigureAwait(false);
        await ReadRelatedAsync(
            answersQuery,
            "SELECT DISTINCT ON (answer_id) answer_id, text, citations_json::text, by_id, by_name, at, article_hash, article_title "
            + "FROM corrections WHERE answer_id = ANY(@ids) ORDER BY answer_id, id DESC;",
            ids,
            records.AddCorrection,
            cancellationToken).ConfigureAwait(false);
        await ReadRelatedAsync(answersQuery, "SELECT answer_id, voter_id, voter_name, vote, reason, at FROM feedback WHERE answer_id = ANY(@ids) ORDER BY seq;", ids, records.AddVote, cancellationToken).ConfigureAwait(false);
        return records.ToRecords();
    }

    /// <summary>Runs one of the answers' related queries (bound to the ids as an array) in the answers query's transaction.</summary>
    private static async Task ReadRelatedAsync(NpgsqlCommand answersQuery, string sql, long[] ids, Action<NpgsqlDataReader> read, CancellationToken cancellationToken)
    {
        await using var command = Command(answersQuery.Connection!, answersQuery.Transaction!, sql);
        command.Parameters.AddWithValue("ids", ids);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            read(reader);
        }
    }

    private static async Task<List<AnswerLogChange>> ReadChangesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var changes = new List<AnswerLogChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(AnswerRecordReader.ReadChange(reader));
        }

        return changes;
    }
}
