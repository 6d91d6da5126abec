using System.Diagnostics;
using System.Globalization;
using CaravanBot.Bot.AnswerLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CaravanBot.Bot.Tests.AnswerLog;

/// <summary>
/// The real PostgreSQL the answer-log tests run against: the server whose admin connection string is in
/// <c>CARAVANBOT_TEST_POSTGRES</c> (<c>.ci/run</c> starts one and sets it), else one this test run starts itself
/// with <c>.ci/postgres</c> (initdb in a temporary folder, 127.0.0.1 only) and stops when the run ends. Tests that
/// need it call <see cref="CreateDatabaseAsync"/>, which skips the test, with the reason, only when no server could
/// be started; <c>.ci/run</c> fails when any test was skipped that way.
/// </summary>
internal static class PostgresServer
{
    /// <summary>The environment variable with the admin connection string of a running server.</summary>
    public const string Variable = "CARAVANBOT_TEST_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string? Problem)> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The admin connection string (database <c>postgres</c>); skips the calling test when there is no server.</summary>
    public static string AdminConnectionString
    {
        get
        {
            var (connectionString, problem) = Server.Value;
            Skip.If(connectionString is null, $"PostgreSQL is not available: {problem}");
            return connectionString!;
        }
    }

    /// <summary>A new, empty database of its own for one test; dropped when disposed.</summary>
    public static async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var admin = AdminConnectionString;
        var name = "caravanbot_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, ApplicationName = name };
        return new PostgresDatabase(name, builder.ConnectionString, admin);
    }

    private static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return (configured, null);
        }

        var script = FindScript();
        if (script is null)
        {
            return (null, $"{Variable} is not set and .ci/postgres was not found above {AppContext.BaseDirectory}");
        }

        var folder = Directory.CreateTempSubdirectory("caravanbot-test-pg-").FullName;
        var (exit, output, error) = RunScript(script, "start", folder);
        if (exit != 0 || string.IsNullOrWhiteSpace(output))
        {
            RunScript(script, "stop", folder);
            return (null, $"{Variable} is not set and .ci/postgres could not start one ({error.Trim()})");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunScript(script, "stop", folder);
        return (output.Trim(), null);
    }

    private static (int Exit, string Output, string Error) RunScript(string script, string command, string folder)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(folder);
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
            {
                process.Kill(entireProcessTree: true);
                return (-1, string.Empty, "timed out");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, string.Empty, ex.Message);
        }
    }

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, ".ci", "postgres");
            if (File.Exists(Path.Combine(dir.FullName, "CaravanBot.sln")) && File.Exists(script))
            {
                return script;
            }
        }

        return null;
    }
}

/// <summary>One test's database on the test server: its connection string, raw SQL for what the log does not expose, and logs opened on it.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _admin;
    private readonly List<PostgresAnswerLog> _logs = [];

    public PostgresDatabase(string name, string connectionString, string admin)
    {
        Name = name;
        ConnectionString = connectionString;
        _admin = admin;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public AnswerLogOptions Options => new() { Provider = AnswerLogProvider.Postgres, ConnectionString = ConnectionString };

    /// <summary>A log on this database, closed when the database is disposed.</summary>
    public PostgresAnswerLog Open(TimeProvider? time = null, AnswerLogWriter? writer = null, TimeSpan? busyTimeout = null)
    {
        var options = Options;
        if (busyTimeout is { } timeout)
        {
            options.BusyTimeout = timeout;
        }

        var log = new PostgresAnswerLog(Microsoft.Extensions.Options.Options.Create(options), NullLogger<PostgresAnswerLog>.Instance, time, writer);
        lock (_logs)
        {
            _logs.Add(log);
        }

        return log;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public async Task<long> CountAsync(string table) =>
        Convert.ToInt64(await ScalarAsync($"SELECT COUNT(*) FROM {table};"), CultureInfo.InvariantCulture);

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Ends every server connection to this database (pg_terminate_backend), as a crashed network or a restarted server would; returns how many.</summary>
    public async Task<int> TerminateConnectionsAsync()
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT COUNT(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND pid <> pg_backend_pid();", connection);
        command.Parameters.AddWithValue("name", Name);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        List<PostgresAnswerLog> logs;
        lock (_logs)
        {
            logs = [.. _logs];
        }

        foreach (var log in logs)
        {
            await log.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }
}
