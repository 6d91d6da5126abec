namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The answer log's read queries for one schema version. The bot and the write commands always run
/// on the latest schema; the read-only commands also read a file one version older as it is (its
/// answers and corrections then have no article), so upgrading CaravanBot never makes
/// <c>caravanbot review list</c> change the file.
/// </summary>
internal sealed class AnswerLogQueries
{
    /// <summary>The oldest schema version the read-only commands read without upgrading.</summary>
    public const int OldestReadable = 2;

    /// <summary>Each answer's status history for a page of ids (a JSON array parameter).</summary>
    public const string SelectHistory =
        "SELECT answer_id, status, by_id, by_name, at, note FROM status_changes "
        + "WHERE answer_id IN (SELECT value FROM json_each($ids)) ORDER BY id;";

    private AnswerLogQueries(bool hasArticles)
    {
        var article = hasArticles ? "article_hash, article_title" : "NULL AS article_hash, NULL AS article_title";
        var columns = "id, at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason, answer_text, "
            + "citations_json, scores_json, mode, latency_ms, served_correction_of, reply_channel_id, reply_message_id, "
            + "review_message_id, status, " + article;
        SelectById = $"SELECT {columns} FROM answers WHERE id = $id;";
        SelectLatest = $"SELECT {columns} FROM answers ORDER BY id DESC LIMIT $take OFFSET $skip;";
        SelectLatestInStatus = $"SELECT {columns} FROM answers WHERE status = $status ORDER BY id DESC LIMIT $take OFFSET $skip;";
        SelectCorrected = $"SELECT {columns} FROM answers WHERE status = 'corrected' ORDER BY id;";
        SelectExportPage = $"SELECT {columns} FROM answers WHERE id > $after ORDER BY id LIMIT $take;";
        SelectLatestCorrections =
            $"SELECT answer_id, text, citations_json, by_id, by_name, at, {article} FROM corrections WHERE id IN "
            + "(SELECT MAX(id) FROM corrections WHERE answer_id IN (SELECT value FROM json_each($ids)) GROUP BY answer_id);";
    }

    /// <summary>The queries of the schema this build writes.</summary>
    public static AnswerLogQueries Latest { get; } = new(hasArticles: true);

    private static AnswerLogQueries BeforeArticles { get; } = new(hasArticles: false);

    public string SelectById { get; }

    public string SelectLatest { get; }

    public string SelectLatestInStatus { get; }

    public string SelectCorrected { get; }

    public string SelectExportPage { get; }

    public string SelectLatestCorrections { get; }

    /// <summary>The queries for a file at <paramref name="version"/> (at least <see cref="OldestReadable"/>).</summary>
    public static AnswerLogQueries For(int version) => version >= 3 ? Latest : BeforeArticles;
}
