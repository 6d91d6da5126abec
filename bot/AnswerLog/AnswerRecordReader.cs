using System.Data.Common;
using System.Globalization;

namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// Turns the rows of an answers query and of its related queries (status history, latest corrections, votes) into
/// <see cref="AnswerRecord"/>s, the same way for every store. Each store selects the columns in the order named on
/// each method and runs the queries its own way; a flag or a vote is read whatever integer or boolean type the
/// store keeps it in, and times are the log's text form (<see cref="AnswerLogValues.FormatTime"/>).
/// </summary>
public sealed class AnswerRecordReader
{
    private readonly List<(long Id, NewAnswer Answer, string? ReplyChannelId, string? ReplyMessageId, string? ReviewMessageId, AnswerStatus Status)> _rows = [];
    private readonly Dictionary<long, List<StatusChange>> _history = [];
    private readonly Dictionary<long, Correction> _corrections = [];
    private readonly Dictionary<long, List<FeedbackVote>> _feedback = [];

    /// <summary>The ids of the answers read so far, for the related queries.</summary>
    public IReadOnlyList<long> Ids => [.. _rows.Select(r => r.Id)];

    /// <summary>True when no answer row was read.</summary>
    public bool IsEmpty => _rows.Count == 0;

    /// <summary>
    /// One answers row: id, at, guild_id, channel_id, asker_id, asker_name, source, question, answered, reason,
    /// answer_text, citations_json, scores_json, mode, latency_ms, served_correction_of, reply_channel_id,
    /// reply_message_id, review_message_id, status, article_hash, article_title.
    /// </summary>
    public void AddAnswer(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var answer = new NewAnswer
        {
            At = AnswerLogValues.ParseTime(reader.GetString(1)),
            GuildId = Text(reader, 2),
            ChannelId = Text(reader, 3),
            Asker = new Actor(reader.GetString(4), reader.GetString(5)),
            Source = reader.GetString(6),
            Question = reader.GetString(7),
            Answered = Flag(reader, 8),
            Reason = Text(reader, 9),
            AnswerText = reader.GetString(10),
            Citations = LoggedCitationsJson.Deserialize(reader.GetString(11)),
            ScoresJson = reader.GetString(12),
            Mode = reader.GetString(13),
            LatencyMs = reader.GetDouble(14),
            ServedCorrectionOf = reader.IsDBNull(15) ? null : reader.GetInt64(15),
            Article = Article(reader, 20),
        };
        _rows.Add((reader.GetInt64(0), answer, Text(reader, 16), Text(reader, 17), Text(reader, 18), AnswerStatusCodes.Parse(reader.GetString(19))));
    }

    /// <summary>One status_changes row, oldest first: answer_id, status, by_id, by_name, at, note.</summary>
    public void AddStatusChange(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var change = new StatusChange(
            AnswerStatusCodes.Parse(reader.GetString(1)),
            new Actor(reader.GetString(2), reader.GetString(3)),
            AnswerLogValues.ParseTime(reader.GetString(4)),
            Text(reader, 5));
        GetOrAdd(_history, reader.GetInt64(0)).Add(change);
    }

    /// <summary>An answer's latest corrections row: answer_id, text, citations_json, by_id, by_name, at, article_hash, article_title.</summary>
    public void AddCorrection(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _corrections[reader.GetInt64(0)] = new Correction(
            reader.GetString(1),
            LoggedCitationsJson.Deserialize(reader.GetString(2)),
            new Actor(reader.GetString(3), reader.GetString(4)),
            AnswerLogValues.ParseTime(reader.GetString(5)),
            Article(reader, 6));
    }

    /// <summary>One feedback row, oldest first: answer_id, voter_id, voter_name, vote, reason, at.</summary>
    public void AddVote(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var vote = new FeedbackVote(
            new Actor(reader.GetString(1), reader.GetString(2)),
            Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
            Text(reader, 4),
            AnswerLogValues.ParseTime(reader.GetString(5)));
        GetOrAdd(_feedback, reader.GetInt64(0)).Add(vote);
    }

    /// <summary>The records, in the order the answers query returned them.</summary>
    public List<AnswerRecord> ToRecords() => [.. _rows.Select(row => new AnswerRecord
    {
        Id = row.Id,
        Answer = row.Answer,
        ReplyChannelId = row.ReplyChannelId,
        ReplyMessageId = row.ReplyMessageId,
        ReviewMessageId = row.ReviewMessageId,
        Status = row.Status,
        History = _history.TryGetValue(row.Id, out var changes) ? changes : [],
        Correction = _corrections.GetValueOrDefault(row.Id),
        Feedback = _feedback.TryGetValue(row.Id, out var votes) ? votes : [],
    })];

    /// <summary>One row of the change feed: sequence, answer_id, status, awaits_follow_up.</summary>
    public static AnswerLogChange ReadChange(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new AnswerLogChange(reader.GetInt64(0), reader.GetInt64(1), AnswerStatusCodes.Parse(reader.GetString(2)), Flag(reader, 3));
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // SQLite keeps flags as integers, PostgreSQL as booleans.
    private static bool Flag(DbDataReader reader, int ordinal) => Convert.ToBoolean(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static LoggedArticle? Article(DbDataReader reader, int hashOrdinal) =>
        reader.IsDBNull(hashOrdinal) ? null : new LoggedArticle(reader.GetString(hashOrdinal), Text(reader, hashOrdinal + 1) ?? string.Empty);

    private static List<T> GetOrAdd<T>(Dictionary<long, List<T>> map, long key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        return list;
    }
}
