using Npgsql;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log's schema in PostgreSQL: one step per version of <see cref="AnswerLogSchema"/>, the same
/// versions as the SQLite store's, and the code that applies them. The versions applied are rows of
/// <c>answer_log_schema</c> (none for a new database). Each step runs in its own transaction that first takes
/// a transaction-level advisory lock and re-reads the version, so processes starting at once (several bots,
/// a moderator's <c>caravanbot review</c>) never apply a step twice, and a failed step leaves the previous
/// version. The tables live in the connection's current schema (the first of its search path, <c>public</c>
/// unless the connection string says <c>Search Path=…</c>).
/// </summary>
internal static class PostgresAnswerLogMigrations
{
    /// <summary>The lock every migrating transaction takes (pg_advisory_xact_lock), "CaravMig" as a number.</summary>
    private const long MigrationLock = 0x4361726176_4D6967;

    private const string V1 = """
        -- Every answer and abstention as the bot sent it. Times are ISO 8601 round-trip text, as in the SQLite
        -- store: the offset the caller gave is kept (at::timestamptz reads them as instants).
        CREATE TABLE answers (
            id                   bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at                   text    NOT NULL,
            guild_id             text,
            channel_id           text,
            asker_id             text    NOT NULL,
            asker_name           text    NOT NULL,
            source               text    NOT NULL,
            question             text    NOT NULL,
            answered             boolean NOT NULL,
            reason               text,
            answer_text          text    NOT NULL,
            -- json (not jsonb) keeps the text exactly as written, and still refuses what is not JSON.
            citations_json       json    NOT NULL,
            scores_json          json    NOT NULL,
            mode                 text    NOT NULL,
            latency_ms           double precision NOT NULL,
            served_correction_of bigint  REFERENCES answers (id),
            reply_channel_id     text,
            reply_message_id     text,
            -- The latest of status_changes (or 'new'), kept here so lists filter by an index.
            status               text    NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'approved', 'flagged', 'retracted', 'corrected'))
        );
        CREATE INDEX answers_by_status ON answers (status, id);

        CREATE TABLE status_changes (
            id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            answer_id bigint NOT NULL REFERENCES answers (id),
            status    text   NOT NULL
                CHECK (status IN ('new', 'approved', 'flagged', 'retracted', 'corrected')),
            by_id     text   NOT NULL,
            by_name   text   NOT NULL,
            at        text   NOT NULL,
            note      text
        );
        CREATE INDEX status_changes_by_answer ON status_changes (answer_id, id);
        """;

    private const string V2 = """
        ALTER TABLE answers ADD COLUMN review_message_id text;

        -- Moderators' corrections; the latest row for an answer is the current one.
        CREATE TABLE corrections (
            id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            answer_id      bigint NOT NULL REFERENCES answers (id),
            text           text   NOT NULL,
            citations_json json   NOT NULL,
            by_id          text   NOT NULL,
            by_name        text   NOT NULL,
            at             text   NOT NULL
        );
        CREATE INDEX corrections_by_answer ON corrections (answer_id, id);

        -- Readers' current votes: one row per reader and answer; a withdrawn vote is a deleted row. seq keeps
        -- the order votes were first cast in (a changed vote keeps its place), as SQLite's rowid does.
        CREATE TABLE feedback (
            answer_id  bigint   NOT NULL REFERENCES answers (id),
            voter_id   text     NOT NULL,
            voter_name text     NOT NULL,
            vote       smallint NOT NULL CHECK (vote IN (-1, 1)),
            reason     text,
            at         text     NOT NULL,
            seq        bigint   GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (answer_id, voter_id)
        );

        -- Status history and corrections are the record of who decided what: the database itself refuses to
        -- rewrite them, whatever program connects.
        CREATE FUNCTION answer_log_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
        END
        $$;
        CREATE TRIGGER status_changes_are_append_only BEFORE UPDATE OR DELETE ON status_changes
            FOR EACH ROW EXECUTE FUNCTION answer_log_refuse_rewrite();
        CREATE TRIGGER status_changes_are_never_truncated BEFORE TRUNCATE ON status_changes
            FOR EACH STATEMENT EXECUTE FUNCTION answer_log_refuse_rewrite();
        CREATE TRIGGER corrections_are_append_only BEFORE UPDATE OR DELETE ON corrections
            FOR EACH ROW EXECUTE FUNCTION answer_log_refuse_rewrite();
        CREATE TRIGGER corrections_are_never_truncated BEFORE TRUNCATE ON corrections
            FOR EACH STATEMENT EXECUTE FUNCTION answer_log_refuse_rewrite();
        """;

    private const string V3 = """
        -- Which article each answer and correction is about: a correction is served only for the article its
        -- quotes were verified against.
        ALTER TABLE answers ADD COLUMN article_hash text;
        ALTER TABLE answers ADD COLUMN article_title text;
        ALTER TABLE corrections ADD COLUMN article_hash text;
        ALTER TABLE corrections ADD COLUMN article_title text;
        """;

    private const string V4 = """
        -- Status changes made outside the bot (caravanbot review …): a running bot edits the public reply and the
        -- review card, claiming each one first so that exactly one process does.
        CREATE TABLE follow_ups (
            status_change_id bigint PRIMARY KEY REFERENCES status_changes (id),
            answer_id        bigint NOT NULL REFERENCES answers (id),
            claimed_by       text,
            claimed_at       text
        );
        CREATE INDEX follow_ups_unclaimed ON follow_ups (status_change_id) WHERE claimed_by IS NULL;

        -- Every status change, whoever writes it, wakes every listening bot process when it commits.
        CREATE FUNCTION answer_log_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('caravanbot_answer_log', NEW.id::text);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER status_changes_notify AFTER INSERT ON status_changes
            FOR EACH ROW EXECUTE FUNCTION answer_log_notify_change();
        """;

    /// <summary>The channel status changes are announced on (LISTEN caravanbot_answer_log).</summary>
    public const string NotificationChannel = "caravanbot_answer_log";

    /// <summary>The oldest schema version the read-only commands read without upgrading.</summary>
    public const int OldestReadable = 3;

    private const string CreateVersionTable = """
        CREATE TABLE answer_log_schema (
            version     integer     PRIMARY KEY,
            description text        NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """;

    /// <summary>The tables a CaravanBot answer log has (besides answer_log_schema).</summary>
    private static readonly string[] LogTables = ["answers", "status_changes", "corrections", "feedback", "follow_ups"];

    // What each version's schema has, as (table, column) pairs checked before a log is read or upgraded.
    private static readonly (int Version, string Table, string Column)[] Expected =
    [
        (1, "answers", "status"),
        (1, "status_changes", "answer_id"),
        (2, "answers", "review_message_id"),
        (2, "corrections", "citations_json"),
        (2, "feedback", "vote"),
        (3, "answers", "article_hash"),
        (3, "corrections", "article_hash"),
        (4, "follow_ups", "claimed_by"),
    ];

    /// <summary>Every step, oldest first, one per <see cref="AnswerLogSchema.Versions"/>.</summary>
    public static IReadOnlyList<(AnswerLogSchemaVersion Version, string Sql)> All { get; } = Steps(V1, V2, V3, V4);

    /// <summary>The log's schema version: 0 when the current schema has no answer_log_schema table.</summary>
    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN to_regclass('answer_log_schema') IS NULL THEN 0 ELSE -1 END;", connection, transaction);
        if (Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM answer_log_schema;", connection, transaction);
        return Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The answer-log tables present in a schema that has no version table: another program's, or a damaged log.</summary>
    public static async Task<IReadOnlyList<string>> StrayTablesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT name FROM unnest(@names) AS name WHERE to_regclass(name) IS NOT NULL ORDER BY name;", connection, transaction);
        command.Parameters.AddWithValue("names", LogTables);
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(reader.GetString(0));
        }

        return found;
    }

    /// <summary>What the log lacks of the schema its <paramref name="version"/> promises, or null when it has it all.</summary>
    public static async Task<string?> MissingSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, int version, CancellationToken cancellationToken)
    {
        foreach (var (since, table, column) in Expected)
        {
            if (since > version)
            {
                continue;
            }

            await using var command = new NpgsqlCommand(
                "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table AND column_name = @column;",
                connection,
                transaction);
            command.Parameters.AddWithValue("table", table);
            command.Parameters.AddWithValue("column", column);
            if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return $"schema version {version} but no {table}.{column}";
            }
        }

        return null;
    }

    /// <summary>
    /// Applies the steps the log lacks, up to <paramref name="targetVersion"/>; returns the versions applied. Refuses,
    /// before changing anything, a log from a newer CaravanBot, a schema holding answer-log tables without a
    /// version (not CaravanBot's, or damaged), and a log whose schema is not what its version says. Tests pass an
    /// older target to make logs "from the previous version".
    /// </summary>
    /// <exception cref="AnswerLogUnavailableException">The log cannot be upgraded (see above), or a step failed.</exception>
    public static async Task<IReadOnlyList<AnswerLogSchemaVersion>> ApplyAsync(
        NpgsqlConnection connection, string database, int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, AnswerLogSchema.LatestVersion);
        var applied = new List<AnswerLogSchemaVersion>();
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("key", MigrationLock);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var version = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            ThrowIfNewer(version, database);
            if (version == 0 && await StrayTablesAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is { Count: > 0 } stray)
            {
                throw new AnswerLogUnavailableException(
                    $"{database} is not a CaravanBot answer log: its schema has tables named like the log's ({string.Join(", ", stray)}) but no answer_log_schema; "
                    + "use another database or Search Path. Nothing was changed.");
            }

            if (version > 0 && await MissingSchemaAsync(connection, transaction, version, cancellationToken).ConfigureAwait(false) is { } missing)
            {
                throw new AnswerLogUnavailableException($"{database} is not a usable answer log: {missing}. Nothing was changed.");
            }

            if (version >= targetVersion)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return applied;
            }

            var (step, sql) = All[version];
            try
            {
                await using (var command = new NpgsqlCommand((version == 0 ? CreateVersionTable : string.Empty) + sql, connection, transaction))
                {
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await using (var record = new NpgsqlCommand("INSERT INTO answer_log_schema (version, description) VALUES (@version, @description);", connection, transaction))
                {
                    record.Parameters.AddWithValue("version", step.Version);
                    record.Parameters.AddWithValue("description", step.Description);
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw new AnswerLogUnavailableException(
                    $"cannot bring the answer log {database} from schema version {version} to {step.Version} ({step.Description}): {ex.MessageText}",
                    ex);
            }

            applied.Add(step);
        }
    }

    /// <exception cref="AnswerLogUnavailableException"><paramref name="version"/> is newer than this build knows.</exception>
    public static void ThrowIfNewer(int version, string database)
    {
        if (version > AnswerLogSchema.LatestVersion)
        {
            throw new AnswerLogUnavailableException(AnswerLogSchema.NewerMessage(database, version, "AnswerLog:ConnectionString"));
        }
    }

    private static (AnswerLogSchemaVersion, string)[] Steps(params string[] sql)
    {
        if (sql.Length != AnswerLogSchema.Versions.Count)
        {
            throw new InvalidOperationException($"PostgreSQL has {sql.Length} schema steps for {AnswerLogSchema.Versions.Count} schema versions");
        }

        return [.. AnswerLogSchema.Versions.Select((version, i) => (version, sql[i]))];
    }
}
