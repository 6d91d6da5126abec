using CaravanBot.Bot.AnswerLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// Chooses the answer log's store. The host is the only project that references the stores
/// (bot/AnswerLog.Sqlite/, bot/AnswerLog.Postgres/); the features see only <see cref="IAnswerLog"/> and
/// <see cref="IAnswerLogChanges"/>.
/// </summary>
public static class AnswerLogRegistration
{
    /// <summary>
    /// Adds the answer log as the singleton <see cref="IAnswerLog"/> (and its change feed), in the store
    /// <c>AnswerLog:Provider</c> names: <c>Sqlite</c> (the default, <c>AnswerLog:Path</c>) or <c>Postgres</c>
    /// (<c>AnswerLog:ConnectionString</c>). A provider that is not one of them is reported when the options are
    /// validated, like any other bad setting. Register it before hosted services that write to the log, so it starts first.
    /// </summary>
    public static IServiceCollection AddAnswerLog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return ProviderOf(configuration) == AnswerLogProvider.Postgres
            ? services.AddPostgresAnswerLog(configuration)
            : services.AddSqliteAnswerLog(configuration);
    }

    /// <summary>
    /// The configured provider; SQLite when none is set or the value does not convert (the options' binding then
    /// reports the bad value at start-up, naming the setting).
    /// </summary>
    public static AnswerLogProvider ProviderOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[$"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Provider)}"];
        return Enum.TryParse<AnswerLogProvider>(value, ignoreCase: true, out var provider) && Enum.IsDefined(provider) ? provider : AnswerLogProvider.Sqlite;
    }
}
