using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>Registers the PostgreSQL answer log.</summary>
public static class PostgresAnswerLogServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PostgresAnswerLog"/> as the singleton <see cref="IAnswerLog"/> and its change feed
    /// (<see cref="IAnswerLogChanges"/>, LISTEN/NOTIFY), with <see cref="AnswerLogOptions"/> bound from the
    /// <c>AnswerLog</c> section of <paramref name="configuration"/> and validated at start-up (a connection string
    /// is required). Under a host, <see cref="PostgresAnswerLogInitializer"/> connects and migrates when the host
    /// starts, so an unreachable server or a log from a newer CaravanBot stops the bot before it answers.
    /// </summary>
    public static IServiceCollection AddPostgresAnswerLog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AnswerLogOptions>().Bind(configuration.GetSection(AnswerLogOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AnswerLogOptions>, AnswerLogOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresAnswerLog>();
        services.TryAddSingleton<IAnswerLog>(sp => sp.GetRequiredService<PostgresAnswerLog>());
        services.TryAddSingleton<IAnswerLogChanges>(sp => sp.GetRequiredService<PostgresAnswerLog>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgresAnswerLogInitializer>());
        return services;
    }
}

/// <summary>
/// Connects to and migrates the PostgreSQL answer log when the host starts (see <see cref="PostgresAnswerLog.InitializeAsync"/>).
/// Does nothing when <see cref="IAnswerLog"/> was replaced by something else (a test's fake).
/// </summary>
public sealed class PostgresAnswerLogInitializer : IHostedService
{
    private readonly IAnswerLog _log;

    /// <summary>Creates the initializer for the host's answer log.</summary>
    public PostgresAnswerLogInitializer(IAnswerLog log) => _log = log;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) =>
        _log is PostgresAnswerLog postgres ? postgres.InitializeAsync(cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
