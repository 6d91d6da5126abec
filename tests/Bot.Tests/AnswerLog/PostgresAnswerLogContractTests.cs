using CaravanBot.Bot.AnswerLog;
using Npgsql;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>
/// The answer-log contract on a real PostgreSQL 15 (a database of its own per test, on the server <c>.ci/run</c>
/// starts); skipped, with the reason, only when no server can be started.
/// </summary>
public sealed class PostgresAnswerLogContractTests : AnswerLogContractTests
{
    private PostgresDatabase? _database;

    public override async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override Type DriverExceptionType => typeof(NpgsqlException);

    private PostgresDatabase Database => _database ??= PostgresServer.CreateDatabaseAsync().GetAwaiter().GetResult();

    protected override IAnswerLog OpenLog(TimeProvider? time, AnswerLogWriter? writer) => Database.Open(time, writer);

    protected override Task<long> CountRowsAsync(string table) => Database.CountAsync(table);

    protected override Task ExecuteRawAsync(string sql) => Database.ExecuteAsync(sql);

    protected override Task RefuseCorrectedStatusChangesAsync() => Database.ExecuteAsync("""
        CREATE FUNCTION refuse_corrected() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$;
        CREATE TRIGGER no_corrected BEFORE INSERT ON status_changes FOR EACH ROW WHEN (NEW.status = 'corrected') EXECUTE FUNCTION refuse_corrected();
        """);

    protected override async Task<long> SchemaVersionAsync() =>
        Convert.ToInt64(await Database.ScalarAsync("SELECT MAX(version) FROM answer_log_schema;"), System.Globalization.CultureInfo.InvariantCulture);

    protected override Task SetSchemaVersionAsync(int version) =>
        Database.ExecuteAsync($"INSERT INTO answer_log_schema (version, description) VALUES ({version}, 'from the future');");
}
