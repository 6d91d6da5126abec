using CaravanBot.Bot.AnswerLog;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>The answer-log contract on a real SQLite file in a temporary folder.</summary>
public sealed class SqliteAnswerLogContractTests : AnswerLogContractTests
{
    private readonly AnswerLogFolder _folder = new();

    public override async Task DisposeAsync() => await _folder.DisposeAsync();

    protected override Type DriverExceptionType => typeof(SqliteException);

    protected override IAnswerLog OpenLog(TimeProvider? time, AnswerLogWriter? writer) => _folder.Open(time: time, writer: writer);

    protected override Task<long> CountRowsAsync(string table) =>
        Task.FromResult(Convert.ToInt64(AnswerLogFolder.Scalar(_folder.DefaultDatabase, $"SELECT COUNT(*) FROM {table};"), System.Globalization.CultureInfo.InvariantCulture));

    protected override Task ExecuteRawAsync(string sql)
    {
        AnswerLogFolder.Execute(_folder.DefaultDatabase, sql);
        return Task.CompletedTask;
    }

    protected override Task RefuseCorrectedStatusChangesAsync() => ExecuteRawAsync(
        "CREATE TRIGGER no_corrected BEFORE INSERT ON status_changes WHEN NEW.status = 'corrected' BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");

    protected override Task<long> SchemaVersionAsync() =>
        Task.FromResult(Convert.ToInt64(AnswerLogFolder.Scalar(_folder.DefaultDatabase, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture));

    protected override Task SetSchemaVersionAsync(int version) => ExecuteRawAsync($"PRAGMA user_version = {version};");
}
