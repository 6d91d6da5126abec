using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.AnswerLog;

public sealed class AnswerLogServiceCollectionTests : IAsyncLifetime
{
    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    [Fact]
    public async Task The_log_is_one_singleton_on_the_configured_path_created_when_the_host_starts()
    {
        var database = Path.Combine(_folder.Path, "configured", "log.db");
        await using var services = Build(new() { ["AnswerLog:Path"] = database, ["AnswerLog:Synchronous"] = "Normal" });

        var log = services.GetRequiredService<IAnswerLog>();
        Assert.Same(services.GetRequiredService<SqliteAnswerLog>(), log);
        Assert.Same(log, services.GetRequiredService<IAnswerLog>());
        Assert.Equal(AnswerLogSynchronous.Normal, services.GetRequiredService<IOptions<AnswerLogOptions>>().Value.Synchronous);
        Assert.False(File.Exists(database));

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.True(File.Exists(database));
        Assert.Equal((long)AnswerLogMigrations.LatestVersion, AnswerLogFolder.Scalar(database, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task Without_configuration_the_path_is_data_caravanbot_db_in_the_working_directory()
    {
        await using var services = Build([]);

        var log = services.GetRequiredService<SqliteAnswerLog>();

        Assert.Equal(Path.GetFullPath(Path.Combine("data", "caravanbot.db")), log.DatabasePath);
    }

    [Theory]
    [InlineData("AnswerLog:Path", "  ")]
    [InlineData("AnswerLog:BusyTimeout", "00:00:00")]
    public async Task Unusable_settings_fail_validation_naming_the_setting(string key, string value)
    {
        await using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AnswerLogOptions>>().Value);

        Assert.Contains(key.Split(':')[1], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Postgres", "ConnectionString")]
    [InlineData("postgres", "ConnectionString")]
    [InlineData("Bogus", "Provider")]
    public async Task A_provider_needs_its_own_settings_and_a_bad_one_is_named(string provider, string named)
    {
        await using var services = Build(new() { ["AnswerLog:Provider"] = provider, ["AnswerLog:Path"] = "  " });

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IOptions<AnswerLogOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Provider_Postgres_with_a_connection_string_makes_the_log_and_its_change_feed_a_PostgreSQL_store_created_when_the_host_starts()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var path = Path.Combine(_folder.Path, "unused.db");
        await using var services = Build(new() { ["AnswerLog:Provider"] = "Postgres", ["AnswerLog:ConnectionString"] = database.ConnectionString, ["AnswerLog:Path"] = path });

        var log = services.GetRequiredService<IAnswerLog>();
        Assert.IsType<PostgresAnswerLog>(log);
        Assert.Same(log, services.GetRequiredService<IAnswerLogChanges>());
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.Equal(AnswerLogSchema.LatestVersion, Convert.ToInt32(await database.ScalarAsync("SELECT MAX(version) FROM answer_log_schema;"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Without_a_provider_the_store_is_SQLite_and_its_change_feed_is_the_same_log()
    {
        await using var services = Build(new() { ["AnswerLog:Path"] = Path.Combine(_folder.Path, "default.db") });

        Assert.Same(services.GetRequiredService<SqliteAnswerLog>(), services.GetRequiredService<IAnswerLogChanges>());
    }

    [Fact]
    public async Task A_replaced_log_is_not_initialised_so_no_file_appears()
    {
        var database = Path.Combine(_folder.Path, "never.db");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("AnswerLog:Path", database)]).Build();
        var collection = new ServiceCollection().AddLogging().AddSingleton<IAnswerLog>(new NoAnswerLog()).AddAnswerLog(configuration);
        await using var services = collection.BuildServiceProvider();

        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.IsType<NoAnswerLog>(services.GetRequiredService<IAnswerLog>());
        Assert.False(File.Exists(database));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddAnswerLog(configuration).BuildServiceProvider();
    }

    private sealed class NoAnswerLog : IAnswerLog
    {
        public Task<long> RecordAsync(NewAnswer answer, CancellationToken cancellationToken = default) => Task.FromResult(0L);

        public Task SetReplyAsync(long id, string channelId, string messageId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SetReviewMessageAsync(long id, string messageId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<AnswerRecord?> GetAsync(long id, CancellationToken cancellationToken = default) => Task.FromResult<AnswerRecord?>(null);

        public Task<IReadOnlyList<AnswerRecord>> ListAsync(AnswerStatus? status, int skip, int take, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AnswerRecord>>([]);

        public Task<AnswerRecord?> ChangeStatusAsync(long id, AnswerStatus status, Actor by, string? note, CancellationToken cancellationToken = default) =>
            Task.FromResult<AnswerRecord?>(null);

        public Task<AnswerRecord?> CorrectAsync(long id, Correction correction, CancellationToken cancellationToken = default) =>
            Task.FromResult<AnswerRecord?>(null);

        public Task<(VoteOutcome Outcome, AnswerRecord Record)?> VoteAsync(long id, Actor voter, int vote, string? reason, CancellationToken cancellationToken = default) =>
            Task.FromResult<(VoteOutcome, AnswerRecord)?>(null);

        public Task<ReviewStats> GetStatsAsync(int topUnanswered, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<AnswerRecord>> GetCorrectedAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<AnswerRecord>>([]);

        public async IAsyncEnumerable<AnswerRecord> ExportAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
