using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Moderation;
using CaravanBot.FakeDiscord;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// The real bot host with the real SQLite answer log on a temporary file and a review channel, driven through the
/// loopback Discord: readers mention the bot, moderators and readers click buttons and submit forms as Discord
/// dispatches them (INTERACTION_CREATE types 3 and 5). A second <see cref="SqliteAnswerLog"/> on the same file reads
/// what the bot committed, as <c>caravanbot review</c> would.
/// </summary>
internal sealed class ModerationEndToEnd : IAsyncDisposable
{
    public const ulong ReviewChannel = 1310000000000000077;

    /// <summary>What the fake's member template may do: no Manage Messages, no Administrator.</summary>
    public const string ReaderPermissions = "2248473465835073";

    /// <summary>The same plus Manage Messages (1 &lt;&lt; 13).</summary>
    public static readonly string ModeratorPermissions = (2248473465835073UL | 8192UL).ToString(CultureInfo.InvariantCulture);

    public const ulong Moderator = 1320000000000900001;

    /// <summary>How long a moderation step may take on a busy machine.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How soon the bot looks again for a terminal's change it could not show (the default is 30 s).</summary>
    public static readonly TimeSpan FollowUpRetryInterval = TimeSpan.FromSeconds(1);

    private const string CallbackRoute = "/interactions/{interaction_id}/{interaction_token}/callback";

    private readonly bool _ownsFile;

    private ModerationEndToEnd(EndToEndBot e2e, string path, bool ownsFile)
    {
        E2e = e2e;
        DatabasePath = path;
        _ownsFile = ownsFile;
        Log = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = path }), NullLogger<SqliteAnswerLog>.Instance);
    }

    private ModerationEndToEnd(EndToEndBot e2e, IAnswerLog log, string connectionString)
    {
        E2e = e2e;
        DatabasePath = connectionString;
        _ownsFile = false;
        Log = log;
    }

    public EndToEndBot E2e { get; }

    public string DatabasePath { get; }

    /// <summary>A second, independent answer log on the bot's file (or database).</summary>
    public IAnswerLog Log { get; }

    public FakeRestServer Rest => E2e.Rest;

    public static string NewDatabasePath() => Path.Combine(Path.GetTempPath(), "caravanbot-e2e", "moderation-" + Guid.NewGuid().ToString("N") + ".db");

    /// <summary>Starts the bot on <paramref name="path"/> (a new file by default, deleted on dispose).</summary>
    public static async Task<ModerationEndToEnd> StartAsync(SharedModel model, string? path = null)
    {
        var file = path ?? NewDatabasePath();
        var configuration = new Dictionary<string, string?>
        {
            [$"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Path)}"] = file,
            [$"{ModerationOptions.SectionName}:{nameof(ModerationOptions.ReviewChannelId)}"] = ReviewChannel.ToString(CultureInfo.InvariantCulture),
            [$"{ModerationOptions.SectionName}:{nameof(ModerationOptions.FollowUpRetryInterval)}"] = FollowUpRetryInterval.ToString("c", CultureInfo.InvariantCulture),
        };
        var e2e = await EndToEndBot.StartAsync(model, configuration: configuration);
        return new ModerationEndToEnd(e2e, file, ownsFile: path is null);
    }

    /// <summary>Starts the bot on a PostgreSQL log (<paramref name="connectionString"/>); <see cref="Log"/> is a second store on it.</summary>
    public static async Task<ModerationEndToEnd> StartOnPostgresAsync(SharedModel model, string connectionString)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.Provider)}"] = nameof(AnswerLogProvider.Postgres),
            [$"{AnswerLogOptions.SectionName}:{nameof(AnswerLogOptions.ConnectionString)}"] = connectionString,
            [$"{ModerationOptions.SectionName}:{nameof(ModerationOptions.ReviewChannelId)}"] = ReviewChannel.ToString(CultureInfo.InvariantCulture),
            [$"{ModerationOptions.SectionName}:{nameof(ModerationOptions.FollowUpRetryInterval)}"] = FollowUpRetryInterval.ToString("c", CultureInfo.InvariantCulture),
        };
        var e2e = await EndToEndBot.StartAsync(model, configuration: configuration);
        var log = new PostgresAnswerLog(
            Options.Create(new AnswerLogOptions { Provider = AnswerLogProvider.Postgres, ConnectionString = connectionString }), NullLogger<PostgresAnswerLog>.Instance);
        return new ModerationEndToEnd(e2e, log, connectionString);
    }

    public static ulong Number(string id) => ulong.Parse(id, CultureInfo.InvariantCulture);

    /// <summary>Custom ids of every component of a message body or stored message.</summary>
    public static string[] CustomIds(JsonElement message) =>
        message.TryGetProperty("components", out var rows)
            ? [.. rows.EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray()).Where(c => c.TryGetProperty("custom_id", out _)).Select(c => c.GetProperty("custom_id").GetString()!)]
            : [];

    public static string Description(JsonElement message) =>
        message.GetProperty("embeds")[0].GetProperty("description").GetString()!;

    public static string[] FieldValues(JsonElement message) =>
        message.GetProperty("embeds")[0].TryGetProperty("fields", out var fields)
            ? [.. fields.EnumerateArray().Select(f => f.GetProperty("value").GetString()!)]
            : [];

    public static JsonElement Element(JsonObject node) => JsonSerializer.SerializeToElement(node);

    /// <summary>
    /// A reader's mention, answered: the reply (whose 👍/👎 carry the log id, so the answer was recorded before the
    /// reply was sent), the review card, and the record once both message ids are committed.
    /// </summary>
    public async Task<Asked> AskAsync(string question)
    {
        var mention = await E2e.MentionAsync(question);
        var reply = await E2e.WaitForReplyAsync(mention, StepTimeout);
        Assert.Equal(200, await E2e.ResponseStatusAsync(reply));
        var feedback = Assert.Single(CustomIds(reply.Json), id => id.StartsWith("fb:up:", StringComparison.Ordinal));
        Assert.True(ModerationCustomIds.TryParseFeedbackButton(feedback, out _, out var id), feedback);

        var card = await Rest.WaitForRequestAsync(
            r => r.Is("POST", "/channels/{channel_id}/messages")
                && r.ApiPath == $"/channels/{EndToEndBot.Number(ReviewChannel)}/messages"
                && CustomIds(r.Json).Contains(ModerationCustomIds.ReviewButton(ReviewAction.Approve, id)),
            StepTimeout);
        Assert.Equal(200, await E2e.ResponseStatusAsync(card));
        var record = await WaitForRecordAsync(id, r => r.ReplyMessageId is not null && r.ReviewMessageId is not null, "the reply and card ids to be logged");
        return new Asked(mention, reply, card, record);
    }

    /// <summary>Reads answer <paramref name="id"/> from the file until <paramref name="condition"/> holds.</summary>
    public async Task<AnswerRecord> WaitForRecordAsync(long id, Func<AnswerRecord, bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + StepTimeout;
        AnswerRecord? record;
        while (true)
        {
            record = await Log.GetAsync(id);
            if (record is not null && condition(record))
            {
                return record;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Waited {StepTimeout.TotalSeconds} s for answer #{id}: {description}. Last seen: {record}");
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The message as the fake Discord holds it now.</summary>
    public JsonObject Message(string? channelId, string? messageId) =>
        Rest.FindMessage(Number(channelId!), Number(messageId!)) ?? throw new InvalidOperationException($"No message {channelId}/{messageId}.");

    public JsonObject Card(AnswerRecord record) => Message(EndToEndBot.Number(ReviewChannel), record.ReviewMessageId);

    public JsonObject Reply(AnswerRecord record) => Message(record.ReplyChannelId, record.ReplyMessageId);

    /// <summary>
    /// Clicks <paramref name="customId"/> on <paramref name="message"/> as member <paramref name="user"/>; returns the
    /// interaction's callback once Discord (the fake) accepted it.
    /// </summary>
    public Task<RecordedRequest> ClickAsync(string customId, JsonObject message, ulong user, string permissions)
    {
        var token = NewToken();
        return DispatchAsync(E2e.Gateway.ComponentInteraction(customId, message, token, user, permissions), token);
    }

    /// <summary>Submits the form <paramref name="customId"/> opened from <paramref name="message"/>; returns the callback.</summary>
    public Task<RecordedRequest> SubmitAsync(string customId, JsonObject? message, ulong user, string permissions, params (string CustomId, string Value)[] values)
    {
        var token = NewToken();
        return DispatchAsync(E2e.Gateway.ModalSubmitInteraction(customId, values, token, user, permissions, message), token);
    }

    /// <summary>A private notice callback (type 4, flag 64); returns its text.</summary>
    public static string AssertEphemeralNotice(RecordedRequest callback)
    {
        Assert.Equal(4, callback.Json.GetProperty("type").GetInt32());
        var data = callback.Json.GetProperty("data");
        Assert.Equal(64, data.GetProperty("flags").GetInt32() & 64);
        return data.GetProperty("content").GetString()!;
    }

    /// <summary>The first request after <paramref name="after"/> (a sequence number) matching the route and path.</summary>
    public Task<RecordedRequest> WaitForAsync(string method, string apiPath, long after) =>
        Rest.WaitForRequestAsync(r => r.Sequence > after && r.Method == method && r.ApiPath == apiPath, StepTimeout);

    public long LastSequence => Rest.Requests.Count == 0 ? 0 : Rest.Requests[^1].Sequence;

    public static string MessagePath(string? channelId, string? messageId) => $"/channels/{channelId}/messages/{messageId}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await E2e.DisposeAsync();
        }
        finally
        {
            await ((IAsyncDisposable)Log).DisposeAsync();
            if (_ownsFile)
            {
                DeleteDatabase(DatabasePath);
            }
        }
    }

    public static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // A temp file left behind is harmless.
            }
        }
    }

    private static string NewToken() => "itoken-" + Guid.NewGuid().ToString("N");

    private async Task<RecordedRequest> DispatchAsync(JsonObject interaction, string token)
    {
        await E2e.Gateway.DispatchAsync("INTERACTION_CREATE", interaction);
        var callback = await Rest.WaitForRequestAsync(r => r.Is("POST", CallbackRoute) && r.Path.Contains(token, StringComparison.Ordinal), StepTimeout);
        Assert.Equal(204, await E2e.ResponseStatusAsync(callback));
        return callback;
    }

    /// <summary>A reader's question and what it produced.</summary>
    public sealed record Asked(JsonObject Mention, RecordedRequest Reply, RecordedRequest Card, AnswerRecord Record)
    {
        public long Id => Record.Id;
    }
}
