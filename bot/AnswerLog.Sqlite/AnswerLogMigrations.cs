using System.Globalization;
using Microsoft.Data.Sqlite;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>One step of the answer log's schema: the SQL that takes a file from <c>Version - 1</c> to <see cref="Version"/>.</summary>
/// <param name="Version">The schema version after this step (PRAGMA user_version).</param>
/// <param name="Description">What the step adds, for the log.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record AnswerLogMigration(int Version, string Description, string Sql);

/// <summary>
/// The answer log's schema in SQLite: one step per version of <see cref="AnswerLogSchema"/>, and the code
/// that applies them. The version lives in <c>PRAGMA user_version</c> (0 for a new file). Each step runs in
/// its own <c>BEGIN IMMEDIATE</c> transaction that re-reads the version first, so two processes opening the
/// same file at once (the bot and a moderator's <c>caravanbot review</c>) never apply a step twice, and a
/// failed step leaves the file at the previous version. Steps are never edited once shipped: a change is a
/// new step.
/// </summary>
internal static class AnswerLogMigrations
{
    private const string V1 = """
        -- Every answer and abstention as the bot sent it. Ids are AUTOINCREMENT so an id shown on a
        -- review card is never handed to another answer, even after rows are removed by hand.
        CREATE TABLE answers (
            id                   INTEGER PRIMARY KEY AUTOINCREMENT,
            at                   TEXT    NOT NULL,
            guild_id             TEXT,
            channel_id           TEXT,
            asker_id             TEXT    NOT NULL,
            asker_name           TEXT    NOT NULL,
            source               TEXT    NOT NULL,
            question             TEXT    NOT NULL,
            answered             INTEGER NOT NULL CHECK (answered IN (0, 1)),
            reason               TEXT,
            answer_text          TEXT    NOT NULL,
            citations_json       TEXT    NOT NULL CHECK (json_valid(citations_json)),
            scores_json          TEXT    NOT NULL CHECK (json_valid(scores_json)),
            mode                 TEXT    NOT NULL,
            latency_ms           REAL    NOT NULL,
            served_correction_of INTEGER REFERENCES answers (id),
            reply_channel_id     TEXT,
            reply_message_id     TEXT,
            -- The latest of status_changes (or 'new'), kept here so lists filter by an index.
            status               TEXT    NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'approved', 'flagged', 'retracted', 'corrected'))
        );
        CREATE INDEX answers_by_status ON answers (status, id);

        CREATE TABLE status_changes (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            answer_id INTEGER NOT NULL REFERENCES answers (id),
            status    TEXT    NOT NULL
                CHECK (status IN ('new', 'approved', 'flagged', 'retracted', 'corrected')),
            by_id     TEXT    NOT NULL,
            by_name   TEXT    NOT NULL,
            at        TEXT    NOT NULL,
            note      TEXT
        );
        CREATE INDEX status_changes_by_answer ON status_changes (answer_id, id);
        """;

    private const string V2 = """
        ALTER TABLE answers ADD COLUMN review_message_id TEXT;

        -- Moderators' corrections; the latest row for an answer is the current one.
        CREATE TABLE corrections (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            answer_id      INTEGER NOT NULL REFERENCES answers (id),
            text           TEXT    NOT NULL,
            citations_json TEXT    NOT NULL CHECK (json_valid(citations_json)),
            by_id          TEXT    NOT NULL,
            by_name        TEXT    NOT NULL,
            at             TEXT    NOT NULL
        );
        CREATE INDEX corrections_by_answer ON corrections (answer_id, id);

        -- Readers' current votes: one row per reader and answer; a withdrawn vote is a deleted row.
        CREATE TABLE feedback (
            answer_id  INTEGER NOT NULL REFERENCES answers (id),
            voter_id   TEXT    NOT NULL,
            voter_name TEXT    NOT NULL,
            vote       INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            reason     TEXT,
            at         TEXT    NOT NULL,
            PRIMARY KEY (answer_id, voter_id)
        );

        -- Status history and corrections are the record of who decided what: the file itself
        -- refuses to rewrite them, whatever program opens it.
        CREATE TRIGGER status_changes_are_append_only_update BEFORE UPDATE ON status_changes
        BEGIN SELECT RAISE(ABORT, 'status_changes is append-only'); END;
        CREATE TRIGGER status_changes_are_append_only_delete BEFORE DELETE ON status_changes
        BEGIN SELECT RAISE(ABORT, 'status_changes is append-only'); END;
        CREATE TRIGGER corrections_are_append_only_update BEFORE UPDATE ON corrections
        BEGIN SELECT RAISE(ABORT, 'corrections is append-only'); END;
        CREATE TRIGGER corrections_are_append_only_delete BEFORE DELETE ON corrections
        BEGIN SELECT RAISE(ABORT, 'corrections is append-only'); END;
        """;

    private const string V3 = """
        -- Which article each answer and correction is about: a correction is served only for the
        -- article its quotes were verified against. NULL for rows written before this step.
        ALTER TABLE answers ADD COLUMN article_hash TEXT;
        ALTER TABLE answers ADD COLUMN article_title TEXT;
        ALTER TABLE corrections ADD COLUMN article_hash TEXT;
        ALTER TABLE corrections ADD COLUMN article_title TEXT;
        """;

    private const string V4 = """
        -- Status changes made outside the bot (caravanbot review …): a running bot edits the public reply
        -- and the review card, claiming each one first so that exactly one process does.
        CREATE TABLE follow_ups (
            status_change_id INTEGER PRIMARY KEY REFERENCES status_changes (id),
            answer_id        INTEGER NOT NULL REFERENCES answers (id),
            claimed_by       TEXT,
            claimed_at       TEXT
        );
        CREATE INDEX follow_ups_unclaimed ON follow_ups (status_change_id) WHERE claimed_by IS NULL;
        """;

    /// <summary>Every step, oldest first; <c>All[i].Version == i + 1</c>, one per <see cref="AnswerLogSchema.Versions"/>.</summary>
    public static IReadOnlyList<AnswerLogMigration> All { get; } = Steps(V1, V2, V3, V4);

    // What each version's schema has, as (table, column) pairs checked before a file is read or upgraded.
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

    /// <summary>
    /// What the file lacks of the schema its <paramref name="version"/> promises (a table or column), or
    /// null when it has it all. A file claiming a version it does not have is not CaravanBot's log, or is damaged.
    /// </summary>
    public static string? MissingSchema(SqliteConnection connection, int version, SqliteTransaction? transaction = null)
    {
        foreach (var (since, table, column) in Expected)
        {
            if (since > version)
            {
                continue;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM pragma_table_info($table) WHERE name = $column;";
            command.Parameters.AddWithValue("$table", table);
            command.Parameters.AddWithValue("$column", column);
            if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            {
                return $"schema version {version} but no {table}.{column}";
            }
        }

        return null;
    }

    /// <summary>The tables of the file that are not SQLite's own, for telling an empty file from another program's database.</summary>
    public static IReadOnlyList<string> Tables(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>The schema version this build writes.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>The file's schema version (PRAGMA user_version).</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Applies the steps the file lacks, up to <paramref name="targetVersion"/>; returns the steps
    /// applied. Tests pass an older target to make files "from the previous version".
    /// </summary>
    /// <exception cref="AnswerLogUnavailableException">The file is from a newer CaravanBot, or a step failed.</exception>
    public static IReadOnlyList<AnswerLogMigration> Apply(SqliteConnection connection, string databasePath, int targetVersion)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, LatestVersion);
        var applied = new List<AnswerLogMigration>();
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = ReadVersion(connection, transaction);
            ThrowIfNewer(version, databasePath);
            if (version >= targetVersion)
            {
                transaction.Commit();
                return applied;
            }

            var step = All[version];
            try
            {
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = step.Sql;
                    command.ExecuteNonQuery();
                }

                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;

                    // PRAGMA takes no parameters; the value is this build's own constant.
                    command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {step.Version};");
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                throw new AnswerLogUnavailableException(
                    $"cannot bring the answer log {databasePath} from schema version {version} to {step.Version} ({step.Description}): {ex.Message}",
                    ex);
            }

            applied.Add(step);
        }
    }

    /// <exception cref="AnswerLogUnavailableException"><paramref name="version"/> is newer than this build knows.</exception>
    public static void ThrowIfNewer(int version, string databasePath)
    {
        if (version > LatestVersion)
        {
            throw new AnswerLogUnavailableException(AnswerLogSchema.NewerMessage(databasePath, version, "AnswerLog:Path (--db)"));
        }
    }

    private static AnswerLogMigration[] Steps(params string[] sql)
    {
        if (sql.Length != AnswerLogSchema.Versions.Count)
        {
            throw new InvalidOperationException($"SQLite has {sql.Length} schema steps for {AnswerLogSchema.Versions.Count} schema versions");
        }

        return [.. AnswerLogSchema.Versions.Select((version, i) => new AnswerLogMigration(version.Version, version.Description, sql[i]))];
    }
}
