using System.Text.Json;
using CaravanBot.Bot.AnswerLog;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using CaravanBot.Bot.Moderation;
using CaravanBot.Bot.Tests.Features;
using CaravanBot.FakeDiscord;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Tests.Moderation;

public sealed class ReviewCardBuilderTests
{
    private const string ChannelMessages = "/api/v10/channels/1200000000000000001/messages";
    private const string Callback = "/api/v10/interactions/1200000000000000333/aW50ZXJhY3Rpb24/callback";

    private readonly ReviewCardBuilder _builder = new(new ModerationWording(new PromptProvider()));

    private static JsonElement Json(object body) => JsonSerializer.SerializeToElement(body, body.GetType(), DiscordJson.Options);

    private static string[] Fields(JsonElement embed, string part) =>
        embed.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty(part).GetString()!).ToArray();

    /// <summary>Discord's schema, CaravanBot's rules and the REST guard all accept the card as a channel message.</summary>
    private static void AssertSendable(MessageCreateRequest card)
    {
        DiscordRequestGuard.CheckChannelMessage(card);
        var report = DiscordSchema.Validate("POST", ChannelMessages, Json(card).GetRawText());
        Assert.True(report.IsValid, report.ToString());
        var embed = Json(card).Embed();
        Assert.True(embed.EmbedLength() <= DiscordLimits.EmbedTotal, $"{embed.EmbedLength()} characters");
        Assert.All(Fields(embed, "value"), v => Assert.InRange(v.Length, 1, DiscordLimits.EmbedFieldValue));
        Assert.All(Json(card).CustomIds(), id => Assert.InRange(id.Length, 1, DiscordLimits.CustomId));
    }

    [Theory]
    [InlineData("https://canary.discord.com/api/v10", null, "https://canary.discord.com/channels/3000/4000/6001")]
    [InlineData("http://127.0.0.1:5005/api/v10", null, "http://127.0.0.1:5005/channels/3000/4000/6001")]
    [InlineData("https://discord.com/api/v10", "https://ptb.discord.com/", "https://ptb.discord.com/channels/3000/4000/6001")]
    public void Links_to_the_reply_go_to_the_web_app_the_configuration_names(string apiBaseUrl, string? webBaseUrl, string link)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new CaravanBot.Bot.Discord.DiscordOptions { ApiBaseUrl = apiBaseUrl, WebBaseUrl = webBaseUrl });
        var builder = new ReviewCardBuilder(new ModerationWording(new PromptProvider()), options);

        var card = builder.Card(TestRecords.Record());

        Assert.Contains($"[Open the reply]({link})", Fields(Json(card).Embed(), "value"));
    }

    [Fact]
    public void A_card_shows_the_question_the_quotes_with_paragraphs_the_asker_the_link_the_status_and_four_buttons()
    {
        var card = _builder.Card(TestRecords.Record());

        AssertSendable(card);
        var json = Json(card);
        var embed = json.Embed();
        Assert.Equal("What does Mexico want?", embed.Title());
        Assert.Equal("Here is what the article says:\n\n> “Mexico wants sanctions on Cuba and Venezuela lifted”\n— ¶2", embed.Description());
        Assert.Equal(["Asked by", "Status", "Votes", "Public reply"], Fields(embed, "name"));
        Assert.Equal(["Reader Rae · mention", "New", "👍 0 · 👎 0", "[Open the reply](https://discord.com/channels/3000/4000/6001)"], Fields(embed, "value"));
        Assert.Equal("Answer #1 · mention · extractive · 12 ms", embed.Footer());
        Assert.Equal(["rv:approve:1", "rv:flag:1", "rv:retract:1", "rv:correct:1"], json.CustomIds());
        Assert.Equal([3, 2, 4, 1], json.Buttons().Select(b => b.GetProperty("style").GetInt32()));
        Assert.All(json.Buttons(), b => Assert.False(b.TryGetProperty("disabled", out var d) && d.GetBoolean()));
        json.AssertPingsNobodyExceptReplies();
    }

    [Fact]
    public void A_dm_answer_links_to_me_and_a_private_reply_says_it_has_no_link()
    {
        var dm = _builder.Card(TestRecords.Record(answer: TestRecords.Answer(source: "dm", guildId: null)));
        var ephemeral = _builder.Card(TestRecords.Record() with { ReplyChannelId = null, ReplyMessageId = null });

        Assert.Contains("[Open the reply](https://discord.com/channels/@me/4000/6001)", Fields(Json(dm).Embed(), "value"));
        Assert.Contains("Private reply: only the asker saw it", Fields(Json(ephemeral).Embed(), "value"));
    }

    [Theory]
    [InlineData(AnswerStatus.Approved, 0)]
    [InlineData(AnswerStatus.Flagged, 1)]
    [InlineData(AnswerStatus.Retracted, 2)]
    public void The_button_of_the_current_status_is_disabled_and_the_status_names_who_set_it(AnswerStatus status, int disabled)
    {
        var json = Json(_builder.Card(TestRecords.Record(status: status)));

        var buttons = json.Buttons();
        for (var i = 0; i < buttons.Length; i++)
        {
            Assert.Equal(i == disabled, buttons[i].TryGetProperty("disabled", out var d) && d.GetBoolean());
        }

        Assert.Contains($"{status} by Moderator Mo", Fields(json.Embed(), "value"));
    }

    [Fact]
    public void A_corrected_card_shows_the_correction_and_the_history_with_times_and_notes()
    {
        var correction = new Correction("Mexico wants sanctions lifted and aid.", [new LoggedCitation(2, "“development aid” for the region", 52, 84)], TestRecords.Moderator, TestRecords.At);
        var history = new[]
        {
            new StatusChange(AnswerStatus.Flagged, FeedbackService.Readers, TestRecords.At, "3 👎 from readers"),
            new StatusChange(AnswerStatus.Corrected, TestRecords.Moderator, TestRecords.At.AddMinutes(5), null),
        };

        var embed = Json(_builder.Card(TestRecords.Record(status: AnswerStatus.Corrected, correction: correction, history: history))).Embed();

        var fields = Fields(embed, "name").Zip(Fields(embed, "value")).ToDictionary(f => f.First, f => f.Second);
        Assert.Equal("Corrected by Moderator Mo", fields["Status"]);
        Assert.Equal("Mexico wants sanctions lifted and aid.\n¶2 “development aid” for the region", fields["Correction"]);
        Assert.Equal(
            $"Flagged by readers, <t:{TestRecords.At.ToUnixTimeSeconds()}:f> · 3 👎 from readers\nCorrected by Moderator Mo, <t:{TestRecords.At.AddMinutes(5).ToUnixTimeSeconds()}:f>",
            fields["History"]);
    }

    [Fact]
    public void An_abstention_card_shows_the_message_and_the_reason_and_no_quotes()
    {
        var embed = Json(_builder.Card(TestRecords.Record(answer: TestRecords.Answer(answered: false)))).Embed();

        Assert.Equal("Sorry, the article does not say, so I won't guess.", embed.Description());
        Assert.Contains("not\\_in\\_article", Fields(embed, "value"));
    }

    [Fact]
    public void Reader_text_is_escaped_and_cannot_ping()
    {
        var answer = TestRecords.Answer("**Why** does @everyone hate <@123>? `code` > quote") with { Asker = new Actor("5000", "__Rae__ <@&42>") };

        var json = Json(_builder.Card(TestRecords.Record(answer: answer)));

        var embed = json.Embed();
        Assert.Equal("\\*\\*Why\\*\\* does @\u200Beveryone hate <@\u200B123\\>? \\`code\\` \\> quote", embed.Title());
        Assert.StartsWith("\\_\\_Rae\\_\\_ <@\u200B&42\\>", Fields(embed, "value")[0], StringComparison.Ordinal);
        AssertSendable(_builder.Card(TestRecords.Record(answer: answer)));
    }

    [Fact]
    public void The_longest_inputs_still_fit_discords_limits()
    {
        var quote = string.Concat(Enumerable.Repeat("Migrants walked through the night in long lines on the highway. ", 60));
        var answer = TestRecords.Answer(new string('?', 4000)) with
        {
            AnswerText = new string('x', 3000),
            Asker = new Actor("5000", new string('n', 500)),
            Citations = Enumerable.Range(1, 3).Select(p => new LoggedCitation(p, quote, 0, quote.Length)).ToArray(),
            Mode = new string('m', 300),
        };
        var correction = new Correction(new string('c', 1500), Enumerable.Range(1, 10).Select(p => new LoggedCitation(p, quote, 0, quote.Length)).ToArray(), TestRecords.Moderator, TestRecords.At);
        var history = Enumerable.Range(0, 40).Select(i => new StatusChange(AnswerStatus.Flagged, new Actor("1", new string('h', 300)), TestRecords.At, new string('w', 900))).ToArray();
        var record = TestRecords.Record(long.MaxValue, answer, AnswerStatus.Corrected, correction, history) with
        {
            Feedback = Enumerable.Range(0, 5000).Select(i => new FeedbackVote(new Actor(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "r"), -1, null, TestRecords.At)).ToArray(),
        };
        record = record with { Answer = record.Answer with { ServedCorrectionOf = long.MaxValue } };

        var card = _builder.Card(record);

        AssertSendable(card);
        Assert.Equal($"rv:correct:{long.MaxValue}", Json(card).CustomIds()[^1]);
        Assert.EndsWith("…", Json(card).Embed().Title(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_card_as_an_edit_is_a_valid_type_7_update()
    {
        var edit = _builder.CardEdit(TestRecords.Record(status: AnswerStatus.Flagged));

        var body = Json(new InteractionResponse { Type = InteractionCallbackType.UpdateMessage, Data = edit });
        var report = DiscordSchema.Validate("POST", Callback, body.GetRawText());
        Assert.True(report.IsValid, report.ToString());
        DiscordRequestGuard.CheckEdit(edit);
    }

    [Fact]
    public void The_correction_form_has_a_required_answer_and_optional_citations_prefilled_with_the_quotes()
    {
        var modal = _builder.CorrectionForm(TestRecords.Record(42));

        var body = Json(new InteractionResponse { Type = InteractionCallbackType.Modal, Data = modal });
        var report = DiscordSchema.Validate("POST", Callback, body.GetRawText());
        Assert.True(report.IsValid, report.ToString());
        DiscordRequestGuard.CheckInteractionResponse(new InteractionResponse { Type = InteractionCallbackType.Modal, Data = modal });
        Assert.Equal("rv:correction:42", modal.CustomId);
        Assert.Equal("Correct answer #42", modal.Title);
        var inputs = modal.Components.Select(r => Assert.Single(r.Components)).ToArray();
        Assert.Equal((true, 1, 1500, null), (inputs[0].Required, inputs[0].MinLength, inputs[0].MaxLength, inputs[0].Value));
        Assert.Equal((false, 4000, "¶2: Mexico wants sanctions on Cuba and Venezuela lifted"), (inputs[1].Required, inputs[1].MaxLength, inputs[1].Value));
        Assert.All(inputs, i => Assert.InRange(i.Label!.Length, 1, 45));
    }

    [Fact]
    public void A_queue_page_lists_answers_and_pages_with_unique_ids()
    {
        var records = Enumerable.Range(1, 5).Select(i => TestRecords.Record(i)).ToArray();

        var first = Json(_builder.QueuePage(records, AnswerStatus.Flagged, 0, hasMore: true));
        var middle = Json(_builder.QueuePage(records, null, 3, hasMore: true));

        Assert.Equal(64, first.Flags());
        Assert.Equal(["rq:flagged:0", "rq:flagged:1"], first.CustomIds());
        Assert.True(first.Buttons()[0].GetProperty("disabled").GetBoolean());
        Assert.Equal(["rq:all:2", "rq:all:4"], middle.CustomIds());
        Assert.Equal("Answers: all statuses, page 4", middle.Embed().Title());
        Assert.Equal(5, first.Embed().GetProperty("fields").GetArrayLength());
        var report = DiscordSchema.Validate("POST", Callback, Json(new InteractionResponse { Type = InteractionCallbackType.ChannelMessageWithSource, Data = _builder.QueuePage(records, null, 0, false) }).GetRawText());
        Assert.True(report.IsValid, report.ToString());
    }

    [Fact]
    public void Stats_show_every_status_the_rate_and_an_empty_list_politely()
    {
        var stats = new ReviewStats
        {
            ByStatus = new Dictionary<AnswerStatus, int> { [AnswerStatus.New] = 2 },
            Total = 0,
            Abstentions = 0,
            Upvotes = 0,
            Downvotes = 0,
            TopUnanswered = [],
        };

        var embed = Json(_builder.Stats(stats)).Embed();

        var fields = Fields(embed, "name").Zip(Fields(embed, "value")).ToDictionary(f => f.First, f => f.Second);
        Assert.Equal("2", fields["New"]);
        Assert.Equal("0", fields["Corrected"]);
        Assert.Equal("0 (0% of all replies)", fields["Abstentions"]);
        Assert.Equal("None yet.", fields["Most asked, not answered"]);
    }
}
