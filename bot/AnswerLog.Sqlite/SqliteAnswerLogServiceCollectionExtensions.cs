using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>Registers the SQLite answer log.</summary>
public static class SqliteAnswerLogServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SqliteAnswerLog"/> as the singleton <see cref="IAnswerLog"/> and its change feed
    /// (<see cref="IAnswerLogChanges"/>, polled), with
    /// <see cref="AnswerLogOptions"/> bound from the <c>AnswerLog</c> section of
    /// <paramref name="configuration"/> and validated at start-up. Under a host,
    /// <see cref="AnswerLogInitializer"/> opens and migrates the file when the host starts, so a file
    /// from a newer CaravanBot stops the bot before it answers; without a host (the command line)
    /// the file is opened and migrated on first use. Register it before hosted services that write
    /// to the log, so it starts first.
    /// </summary>
    public static IServiceCollection AddSqliteAnswerLog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AnswerLogOptions>().Bind(configuration.GetSection(AnswerLogOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnswerLogOptions>, AnswerLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SqliteAnswerLog>();
        services.TryAddSingleton<IAnswerLog>(sp => sp.GetRequiredService<SqliteAnswerLog>());
        services.TryAddSingleton<IAnswerLogChanges>(sp => sp.GetRequiredService<SqliteAnswerLog>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AnswerLogInitializer>());
        return services;
    }
}

/// <summary>
/// Opens and migrates the answer log when the host starts (see <see cref="SqliteAnswerLog.InitializeAsync"/>).
/// Does nothing when <see cref="IAnswerLog"/> was replaced by something else (a test's fake), so the
/// default file is never created behind a test's back.
/// </summary>
public sealed class AnswerLogInitializer : IHostedService
{
    private readonly IAnswerLog _log;

    /// <summary>Creates the initializer for the host's answer log.</summary>
    public AnswerLogInitializer(IAnswerLog log) => _log = log;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        _log is SqliteAnswerLog sqlite ? sqlite.InitializeAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
