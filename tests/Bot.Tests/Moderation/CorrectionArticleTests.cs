using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.AnswerLog;
using CaravanBot.Bot.Tests.Cli;
using CaravanBot.Bot.Tests.Features;
using Microsoft.Data.Sqlite;
using static CaravanBot.Bot.Tests.Moderation.ModerationPayloads;

namespace CaravanBot.Bot.Tests.Moderation;

/// <summary>
/// A correction is about one article: its quotes are verified against the article the answer was
/// given from, it records that article, and it is never shown to readers of another article (nor when
/// its quotes no longer hold where it is served).
/// </summary>
public sealed class CorrectionArticleTests : IAsyncLifetime
{
    private const string Sanctions = "Mexico wants sanctions on Cuba and Venezuela lifted";
    private const string OtherStory =
        "Floods close the valley road\n"
        + "Mexico wants sanctions on Cuba and Venezuela lifted, a neighbour joked as the river rose.\n"
        + "The council will meet on Friday.\n";

    private readonly AnswerLogFolder _folder = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _folder.DisposeAsync();

    private static LoggedArticle Other => new FakeArticleReader().ReadText(OtherStory, "other").LoggedIdentity();

    private static LoggedArticle Default => new FakeArticleReader().ReadText(CliHarness.DefaultArticle, "default").LoggedIdentity();

    [Fact]
    public async Task Answers_and_corrections_keep_their_article_in_the_log_and_an_older_log_keeps_its_rows()
    {
        var database = Path.Combine(_folder.Path, "v2.db");
        using (var connection = AnswerLogFolder.Connect(database))
        {
            AnswerLogMigrations.Apply(connection, database, targetVersion: 2);
        }

        var legacy = _folder.Open(database);
        SqliteConnection.ClearAllPools();
        using (var connection = AnswerLogFolder.Connect(database))
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = """
                INSERT INTO answers (at, asker_id, asker_name, source, question, answered, answer_text, citations_json, scores_json, mode, latency_ms)
                VALUES ('2025-01-03T10:01:00.0000000+00:00', '1', 'Ana', 'dm', 'Old question?', 1, 'Lead', '[]', '{}', 'extractive', 3);
                """;
            insert.ExecuteNonQuery();
        }

        var id = await legacy.RecordAsync(SampleAnswers.Answered() with { Article = Default });
        await legacy.CorrectAsync(id, new Correction("Better.", [new LoggedCitation(2, Sanctions, 0, Sanctions.Length)], TestRecords.Moderator, TestRecords.At, Default));

        Assert.Equal((long)AnswerLogSchema.LatestVersion, AnswerLogFolder.Scalar(database, "PRAGMA user_version;"));
        var old = await legacy.GetAsync(1);
        Assert.Equal("Old question?", old?.Answer.Question);
        Assert.Null(old?.Answer.Article);
        var record = await legacy.GetAsync(id);
        Assert.Equal(Default, record?.Answer.Article);
        Assert.Equal(Default, record?.Correction?.Article);
    }

    [Fact]
    public async Task Review_correct_refuses_quotes_checked_against_another_article_than_the_answers()
    {
        using var cli = new CliHarness();
        var database = Path.Combine(cli.BaseDirectory, "answers.db");
        var log = _folder.Open(database);
        var id = await log.RecordAsync(SampleAnswers.Answered() with { Article = Other });
        await log.DisposeAsync();
        SqliteConnection.ClearAllPools();

        // Without --article the bundled story is used: the quote is verbatim there, but the answer was about another one.
        var refused = await cli.RunAsync("review", "correct", $"{id}", "--text", "Better.", "--cite", "¶2:" + Sanctions, "--as", "mo", "--db", database);

        Assert.Contains("was answered from “Floods close the valley road”", refused.AssertOneLineError(ExitCodes.Usage), StringComparison.Ordinal);
        Assert.Null(AnswerLogFolder.Scalar(database, "SELECT text FROM corrections;"));

        var other = cli.WriteFile("other.txt", OtherStory);
        var saved = await cli.RunAsync("review", "correct", $"{id}", "--text", "Better.", "--cite", "¶2:" + Sanctions, "--article", other, "--as", "mo", "--db", database);

        Assert.Equal(ExitCodes.Success, saved.ExitCode);
        Assert.Equal(Other.ContentHash, AnswerLogFolder.Scalar(database, "SELECT article_hash FROM corrections;"));
        var shown = Assert.Single((await cli.RunAsync("review", "show", $"{id}", "--json", "--db", database)).JsonLines());
        Assert.Equal(Other.ContentHash, shown.GetProperty("article").GetProperty("hash").GetString());
        Assert.Equal(Other.ContentHash, shown.GetProperty("correction").GetProperty("article").GetProperty("hash").GetString());
    }

    [Fact]
    public async Task The_bot_records_the_article_of_every_answer()
    {
        await using var bot = await ModerationHarness.StartAsync();

        await bot.MessageAsync(Mention("What does Mexico want?", 6801));

        Assert.Equal(TestRecords.Article, bot.Log.All[0].Answer.Article);
    }

    [Fact]
    public async Task A_correction_recorded_for_another_article_is_never_served()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var id = await bot.Log.RecordAsync(TestRecords.Answer("What does Mexico want?") with { Article = Other });
        await bot.Log.CorrectAsync(id, new Correction("The river rose.", [new LoggedCitation(2, Sanctions, 0, Sanctions.Length)], TestRecords.Moderator, TestRecords.At, Other));
        await bot.Get<CorrectionMatcher>().LoadAsync(CancellationToken.None);

        await bot.MessageAsync(Mention("What does Mexico want?", 6802));

        Assert.DoesNotContain("Moderator-verified", bot.Requests("POST", "/channels/4000/messages")[^1].Json.Embed().Description(), StringComparison.Ordinal);
        Assert.Equal(["What does Mexico want?"], bot.Answers.Questions);
    }

    [Theory]
    [InlineData("Mexico wants sanctions on Cuba and Venezuela lifted for good", 0)]
    [InlineData("Mexico wants sanctions on Cuba and Venezuela lifted", 5)]
    [InlineData("Mexico wants", 0)]
    public async Task A_correction_whose_quotes_no_longer_hold_in_the_served_article_is_not_served(string quote, int start)
    {
        await using var bot = await ModerationHarness.StartAsync();
        var id = await bot.Log.RecordAsync(TestRecords.Answer("What does Mexico want?") with { Article = TestRecords.Article });
        await bot.Log.CorrectAsync(id, new Correction("Invented.", [new LoggedCitation(2, quote, start, start + quote.Length)], TestRecords.Moderator, TestRecords.At, TestRecords.Article));
        await bot.Get<CorrectionMatcher>().LoadAsync(CancellationToken.None);

        await bot.MessageAsync(Mention("What does Mexico want?", 6803));

        Assert.DoesNotContain("Invented.", bot.Requests("POST", "/channels/4000/messages")[^1].Json.Embed().Description(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legacy_correction_without_an_article_is_served_only_when_its_quotes_hold()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var withQuote = await bot.Log.RecordAsync(TestRecords.Answer("What does Mexico want?"));
        await bot.Log.CorrectAsync(withQuote, new Correction("Quoted.", [new LoggedCitation(2, Sanctions, 0, Sanctions.Length)], TestRecords.Moderator, TestRecords.At));
        var bare = await bot.Log.RecordAsync(TestRecords.Answer("When will Blinken meet officials?"));
        await bot.Log.CorrectAsync(bare, new Correction("Unquoted.", [], TestRecords.Moderator, TestRecords.At));
        await bot.Get<CorrectionMatcher>().LoadAsync(CancellationToken.None);

        await bot.MessageAsync(Mention("What does Mexico want?", 6804));
        await bot.MessageAsync(Mention("When will Blinken meet officials?", 6805, authorId: SecondReaderId));

        var replies = bot.Requests("POST", "/channels/4000/messages");
        Assert.Contains("Quoted.", replies[^2].Json.Embed().Description(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unquoted.", replies[^1].Json.Embed().Description(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_correction_form_refuses_an_answer_given_about_another_article()
    {
        await using var bot = await ModerationHarness.StartAsync();
        var id = await bot.Log.RecordAsync(TestRecords.Answer("What does Mexico want?") with { Article = Other });

        await bot.InteractionAsync(Modal(ModerationCustomIds.CorrectionModal(id), Invoker.Moderator, ReviewChannelId, null, ("text", "Better."), ("citations", "¶2: " + Sanctions)));

        Assert.Contains("Floods close the valley road", bot.LastCallback().GetProperty("data").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Null(bot.Log.All.Single(r => r.Id == id).Correction);
    }
}
