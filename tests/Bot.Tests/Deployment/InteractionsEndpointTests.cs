using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Hosting;
using CaravanBot.Bot.Tests.Cli;
using CaravanBot.Bot.Tests.EndToEnd;
using CaravanBot.FakeDiscord;
using CaravanBot.Retrieval;
using CaravanBot.Retrieval.Embeddings;
using CaravanBot.Retrieval.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// <c>caravanbot serve</c>'s <c>POST /interactions</c> on 127.0.0.1, composed as <c>serve</c> composes it, signed with
/// real Ed25519 keys: Discord's signature accepted, every forgery refused with 401 before the body is parsed, bodies
/// bounded, and <c>/ask</c> and a button answered end to end through the same features as the gateway, their callbacks
/// checked against Discord's schema by the fake REST API.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InteractionsEndpointTests : IAsyncLifetime
{
    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly SharedModel _model;
    private readonly Key _applicationKey = Key.Create(Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    private readonly Key _otherKey = Key.Create(Ed25519);
    private readonly string _database = Path.Combine(Path.GetTempPath(), "caravanbot-e2e", Guid.NewGuid().ToString("N") + ".db");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private FakeRestServer _rest = null!;
    private FakeGatewayServer _payloads = null!;
    private WebApplication _app = null!;
    private Uri _endpoint = null!;

    public InteractionsEndpointTests(SharedModel model)
    {
        _model = model;
    }

    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        _rest = await FakeRestServer.StartAsync();

        // Only for its interaction payloads in Discord's shapes; nothing connects to it.
        _payloads = await FakeGatewayServer.StartAsync();
        var settings = LoopbackBot.FastTimings();
        settings["Discord:Token"] = _rest.BotToken;
        settings["Discord:ApiBaseUrl"] = _rest.ApiBaseUrl;
        settings["Discord:PublicKey"] = Convert.ToHexString(_applicationKey.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        settings["AnswerLog:Path"] = _database;
        _app = Build(settings, Logs, _model.Embedder);
        await _app.StartAsync();
        _endpoint = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/interactions");
        var service = _app.Services.GetRequiredService<HttpInteractionService>();
        await _payloads.WaitUntilAsync(() => service.IsReady, "the article to be indexed", TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _payloads.DisposeAsync();
        await _rest.DisposeAsync();
        _http.Dispose();
        _applicationKey.Dispose();
        _otherKey.Dispose();
        foreach (var file in new[] { _database, _database + "-wal", _database + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>The host as <c>caravanbot serve</c> builds it, listening on a free loopback port, with <paramref name="settings"/>.</summary>
    public static WebApplication Build(IReadOnlyDictionary<string, string?> settings, ILoggerProvider logs, ISentenceEmbedder embedder)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "caravanbot" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddCaravanRetrieval();
        builder.Services.AddOptions<RetrievalOptions>().BindConfiguration(RetrievalOptions.SectionName);
        builder.Services.AddCaravanBotInteractions(options => options.ArticlePath = Path.Combine(AppContext.BaseDirectory, "articles", "caravan.txt"));
        builder.Services.AddAnswerLog(builder.Configuration);
        builder.Services.AddSingleton(embedder);
        var app = builder.Build();
        app.MapInteractions();
        return app;
    }

    [Fact]
    public async Task A_ping_signed_with_the_application_key_is_answered_with_pong()
    {
        using var response = await PostAsync("""{"id":"1400000000000000001","application_id":"1200000000000000002","type":1,"token":"ping-token","version":1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetInt32());
    }

    public static TheoryData<string> Forgeries() => new() { "tampered body", "tampered timestamp", "wrong key", "no signature", "no timestamp", "signature not hex", "replayed after 6 minutes", "signed 6 minutes ahead" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_request_Discord_did_not_sign_now_is_refused_with_401_and_never_handled(string forgery)
    {
        var ask = Ask("What does Mexico want?");
        var body = ask.ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timestamp = forgery switch
        {
            "replayed after 6 minutes" => now - 360,
            "signed 6 minutes ahead" => now + 360,
            _ => now,
        };
        var signature = Sign(forgery == "wrong key" ? _otherKey : _applicationKey, timestamp.ToString(CultureInfo.InvariantCulture), body);
        var sentTimestamp = forgery == "tampered timestamp" ? (timestamp + 1).ToString(CultureInfo.InvariantCulture) : timestamp.ToString(CultureInfo.InvariantCulture);
        var sentBody = forgery == "tampered body" ? body.Replace("Mexico", "Mexicx", StringComparison.Ordinal) : body;

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(sentBody, Encoding.UTF8, "application/json") };
        if (forgery != "no signature")
        {
            request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", forgery == "signature not hex" ? new string('z', 128) : signature);
        }

        if (forgery != "no timestamp")
        {
            request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", sentTimestamp);
        }

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Task.Delay(300);
        Assert.DoesNotContain(_rest.Requests, r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback"));
    }

    [Fact]
    public async Task A_one_megabyte_body_is_refused_with_413_without_being_read_as_an_interaction()
    {
        var body = """{"type":1,"padding":""" + "\"" + new string('x', 1024 * 1024) + "\"}";

        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains(Logs.Entries, e => e.FullText.Contains("over the 131072-byte limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ask_through_the_endpoint_is_answered_with_the_quote_through_the_callback()
    {
        var ask = Ask("What does Mexico want?");

        using var response = await PostAsync(ask.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var callback = await _rest.WaitForRequestAsync(r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(Token(ask), StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        await _payloads.WaitUntilAsync(() => callback.ResponseStatus is not null, "the callback answer");
        Assert.Equal(204, callback.ResponseStatus);
        Assert.Equal(4, callback.Json.GetProperty("type").GetInt32());
        var text = callback.Json.GetProperty("data").GetRawText();
        Assert.Contains("sanctions on Cuba and Venezuela", text, StringComparison.Ordinal);
        Assert.Equal("[]", callback.Json.GetProperty("data").GetProperty("allowed_mentions").GetProperty("parse").GetRawText());
    }

    [Fact]
    public async Task A_button_through_the_endpoint_shows_its_paragraph_only_to_the_reader()
    {
        var ask = Ask("What does Mexico want?");
        using (var asked = await PostAsync(ask.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }

        var answer = await _rest.WaitForRequestAsync(r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(Token(ask), StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        var showParagraph = ModerationEndToEnd.CustomIds(answer.Json.GetProperty("data")).First(id => id.StartsWith("src:", StringComparison.Ordinal));
        var message = JsonNode.Parse(answer.Json.GetProperty("data").GetRawText())!.AsObject();
        message["id"] = "1400000000000009999";
        message["channel_id"] = _rest.InteractionChannelId.ToString(CultureInfo.InvariantCulture);
        var click = _payloads.ComponentInteraction(showParagraph, message, "click-" + Guid.NewGuid().ToString("N"), userId: 1320000000000000077, permissions: "0");

        using var response = await PostAsync(click.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var shown = await _rest.WaitForRequestAsync(r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(Token(click), StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        await _payloads.WaitUntilAsync(() => shown.ResponseStatus is not null, "the callback answer");
        Assert.Equal(204, shown.ResponseStatus);
        Assert.Equal(64, shown.Json.GetProperty("data").GetProperty("flags").GetInt32() & 64);
        Assert.Contains("sanctions on Cuba and Venezuela", shown.Json.GetProperty("data").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_signed_interaction_delivered_twice_is_answered_once()
    {
        var ask = Ask("What does Mexico want?");
        var body = ask.ToJsonString();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(_applicationKey, timestamp, body);

        using (var first = await PostAsync(body, timestamp, signature))
        using (var second = await PostAsync(body, timestamp, signature))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        await _rest.WaitForRequestAsync(r => r.Path.Contains(Token(ask), StringComparison.Ordinal), EndToEndBot.ReplyTimeout);
        await Task.Delay(500);
        Assert.Single(_rest.Requests, r => r.Is("POST", "/interactions/{interaction_id}/{interaction_token}/callback") && r.Path.Contains(Token(ask), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retraction_from_caravanbot_review_reaches_the_replica_which_withdraws_its_public_answer()
    {
        var ask = Ask("What does Mexico want?");
        var asker = ask["member"]!["user"]!["id"]!.GetValue<string>();
        using (var asked = await PostAsync(ask.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        }

        // The replica recorded the answer with its public message, as any process on the shared log would read it.
        await using var log = new SqliteAnswerLog(Options.Create(new AnswerLogOptions { Path = _database }), NullLogger<SqliteAnswerLog>.Instance);
        AnswerRecord? record = null;
        await _payloads.WaitUntilAsync(
            () => (record = log.ListAsync(null, 0, 50).GetAwaiter().GetResult().FirstOrDefault(r => r.Answer.Asker.Id == asker && r.ReplyMessageId is not null)) is not null,
            "the answer and its public message in the log",
            EndToEndBot.ReplyTimeout);
        var before = _rest.Requests[^1].Sequence;

        var (result, _) = await CaravanbotProcess.RunAsync(
            null, BotProcess.SqliteLog(_database), "review", "retract", record!.Id.ToString(CultureInfo.InvariantCulture), "--as", "mo");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stderr);
        var replyPath = ModerationEndToEnd.MessagePath(record.ReplyChannelId, record.ReplyMessageId);
        var edit = await _rest.WaitForRequestAsync(r => r.Sequence > before && r.Method == "PATCH" && r.ApiPath == replyPath, EndToEndBot.ReplyTimeout);
        Assert.StartsWith("A moderator withdrew this answer", ModerationEndToEnd.Description(edit.Json), StringComparison.Ordinal);
    }

    private static string Token(JsonObject interaction) => interaction["token"]!.GetValue<string>();

    private static string Sign(Key key, string timestamp, string body) =>
        Convert.ToHexString(Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + body))).ToLowerInvariant();

    private JsonObject Ask(string question) =>
        _payloads.SlashCommandInteraction("ask", new Dictionary<string, string> { ["question"] = question }, "itoken-" + Guid.NewGuid().ToString("N"), userId: (ulong)Random.Shared.NextInt64(1320000000000100000, 1320000000000900000));

    private Task<HttpResponseMessage> PostAsync(string body)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return PostAsync(body, timestamp, Sign(_applicationKey, timestamp, body));
    }

    private Task<HttpResponseMessage> PostAsync(string body, string timestamp, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", signature);
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
        return _http.SendAsync(request);
    }
}
