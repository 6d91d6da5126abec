using CaravanBot.Bot.AnswerLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Hosting;

/// <summary>
/// Chooses the answer log's store. The host is the only project that references the stores
/// (bot/AnswerLog.Sqlite/, one project per store); the features see only <see cref="IAnswerLog"/>.
/// </summary>
public static class AnswerLogRegistration
{
    /// <summary>
    /// Adds the answer log as the singleton <see cref="IAnswerLog"/>, configured from the <c>AnswerLog</c>
    /// section of <paramref name="configuration"/>. There is one store today, SQLite
    /// (<see cref="SqliteAnswerLogServiceCollectionExtensions.AddSqliteAnswerLog"/>); another store is
    /// chosen here. Register it before hosted services that write to the log, so it starts first.
    /// </summary>
    public static IServiceCollection AddAnswerLog(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSqliteAnswerLog(configuration);
}
