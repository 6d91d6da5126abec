using System.Text;
using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Tests.Features;

public sealed class AnswerMessageBuilderTests
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly AnswerMessageBuilder _builder = new(new ReplyWording(new PromptProvider()));

    private JsonElement Build(Answer answer, bool ephemeral = false, Retrieval.Articles.Article? article = null) =>
        JsonSerializer.SerializeToElement(_builder.Answer(answer, article ?? TestArticle.Article, ephemeral), DiscordJson.Options);

    private static void AssertWithinLimits(JsonElement message)
    {
        Assert.True((message.Content()?.Length ?? 0) <= DiscordLimits.Content);
        var embeds = message.TryGetProperty("embeds", out var e) ? e.EnumerateArray().ToArray() : [];
        Assert.True(embeds.Length <= DiscordLimits.Embeds);
        Assert.True(embeds.Sum(MessageJson.EmbedLength) <= DiscordLimits.EmbedTotal);
        foreach (var embed in embeds)
        {
            Assert.True((embed.Title()?.Length ?? 0) <= DiscordLimits.EmbedTitle);
            Assert.True((embed.TryGetProperty("description", out var d) ? d.GetString()!.Length : 0) <= DiscordLimits.EmbedDescription);
            Assert.True((embed.Footer()?.Length ?? 0) <= DiscordLimits.EmbedFooter);
        }

        var rows = message.TryGetProperty("components", out var c) ? c.EnumerateArray().ToArray() : [];
        Assert.True(rows.Length <= DiscordLimits.ActionRows);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("components").GetArrayLength(), 1, DiscordLimits.ButtonsPerRow));
        foreach (var button in message.Buttons())
        {
            Assert.InRange(button.GetProperty("custom_id").GetString()!.Length, 1, DiscordLimits.CustomId);
            Assert.InRange(button.GetProperty("label").GetString()!.Length, 1, DiscordLimits.ButtonLabel);
        }

        // Never half a surrogate pair anywhere: a strict encoder throws on one.
        foreach (var text in message.Strings())
        {
            StrictUtf8.GetByteCount(text);
        }

        message.AssertPingsNobody();
    }

    [Fact]
    public void A_four_thousand_character_question_is_cut_to_the_title_limit_with_an_ellipsis()
    {
        var question = string.Concat(Enumerable.Repeat("Why does Mexico want development aid? ", 110))[..4000];

        var message = Build(FixedAnswerService.DefaultAnswer(question));

        AssertWithinLimits(message);
        var title = message.Embed().Title()!;
        Assert.InRange(title.Length, DiscordLimits.EmbedTitle - 40, DiscordLimits.EmbedTitle);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
        Assert.StartsWith(title[..^1], question, StringComparison.Ordinal);
        Assert.Equal(' ', question[title.Length - 1]);
    }

    public static TheoryData<string> PingAttempts => new()
    {
        "@everyone what does Mexico want?",
        "@here what does Mexico want?",
        "<@&123> what does Mexico want?",
        "<@123> and <@!123> what does Mexico want?",
        "@EVERYONE and @Here?",
        "@\u2060everyone and <\u200D@&123> and <@\u200C&123>",
        "\u200B@everyone\u200B",
    };

    [Theory]
    [MemberData(nameof(PingAttempts))]
    public void Mentions_in_the_question_never_produce_a_pingable_string(string question)
    {
        foreach (var answer in new[] { FixedAnswerService.DefaultAnswer(question), FixedAnswerService.Abstained(question) })
        {
            var message = Build(answer);

            AssertWithinLimits(message);
            foreach (var text in message.Strings())
            {
                Assert.DoesNotContain("@everyone", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("@here", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotMatch(@"<@[!&]?\d", text);
            }
        }
    }

    [Fact]
    public void The_question_still_reads_as_typed_after_neutralising()
    {
        var message = Build(FixedAnswerService.DefaultAnswer("@everyone did <@&123> say so?"));

        Assert.Equal("@everyone did <@&123> say so?", MessageJson.Unescape(message.Embed().Title()!));
    }

    [Theory]
    [InlineData("**bold** and __under__ and *it* _it_")]
    [InlineData("~~gone~~ `code` ||spoiler|| \\ back")]
    [InlineData("> quote # heading - list [link](https://evil.example)")]
    [InlineData("-# subtext ### big")]
    public void Markdown_in_the_question_is_escaped(string question)
    {
        var title = Build(FixedAnswerService.DefaultAnswer(question)).Embed().Title()!;

        Assert.Equal(question, MessageJson.Unescape(title));
        Assert.DoesNotMatch(@"(?<!\\)[*_~`|>#\-\[\]()]", title.Replace("\\\\", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Line_breaks_in_the_question_become_spaces()
    {
        var title = Build(FixedAnswerService.DefaultAnswer("What does\nMexico\r\n\twant?")).Embed().Title();

        Assert.Equal("What does Mexico want?", title);
    }

    [Fact]
    public void Zero_width_characters_in_the_question_are_kept_as_typed_and_do_not_hide_a_mention()
    {
        var message = Build(FixedAnswerService.DefaultAnswer("Mex\u200Bico wants\u200D aid? @\u200Beveryone"));

        AssertWithinLimits(message);
        var title = message.Embed().Title()!;
        Assert.StartsWith("Mex\u200Bico wants\u200D aid? ", title, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", title, StringComparison.Ordinal);
        Assert.Equal("Mex\u200Bico wants\u200D aid? @\u200Beveryone", MessageJson.Unescape(title));
    }

    [Fact]
    public void A_question_of_only_invisible_characters_has_no_title()
    {
        var message = Build(FixedAnswerService.Abstained("\u200B\u200D\uFEFF"));

        Assert.Null(message.Embed().Title());
    }

    [Fact]
    public void Three_very_long_quotes_stay_within_every_limit_and_each_is_a_verbatim_prefix()
    {
        var words = "The caravan of thousands of migrants walked north through Chiapas toward the US border, ";
        var quotes = new[]
        {
            string.Concat(Enumerable.Repeat(words, 60)).TrimEnd(),
            "Mexico wants " + string.Concat(Enumerable.Repeat("development aid and fewer sanctions, ", 90)).TrimEnd(),
            string.Concat(Enumerable.Repeat("Blinken 🇲🇽 will meet officials in Mexico City 👨‍👩‍👧 on Wednesday. ", 70)).TrimEnd(),
        };
        var answer = FixedAnswerService.Answered(
            new string('Q', 300),
            quotes.Select((q, i) => new Citation(i + 2, q, 0, q.Length)).ToArray());

        var message = Build(answer);

        AssertWithinLimits(message);
        Assert.Null(message.Content());
        var description = message.Embed().Description();
        Assert.True(description.Length <= DiscordLimits.EmbedDescription);
        Assert.True(description.Length > DiscordLimits.EmbedDescription - 200, "the quotes should use the room they have");
        var shown = MessageJson.Quotes(description);
        Assert.Equal(3, shown.Length);
        Assert.Equal([2, 3, 4], MessageJson.Attributions(description));
        for (var i = 0; i < 3; i++)
        {
            var text = MessageJson.Unescape(shown[i]);
            Assert.EndsWith("…", text, StringComparison.Ordinal);
            var prefix = text[..^1];
            Assert.StartsWith(prefix, quotes[i], StringComparison.Ordinal);
            Assert.True(char.IsWhiteSpace(quotes[i][prefix.Length]), $"quote {i} is cut inside a word: …{prefix[^10..]}|{quotes[i][prefix.Length..(prefix.Length + 10)]}");
            Assert.True(prefix.Length > 800, $"quote {i} kept only {prefix.Length} characters");
        }
    }

    [Fact]
    public void Quotes_that_fit_are_shown_whole_and_give_their_room_to_a_long_one()
    {
        var longQuote = string.Concat(Enumerable.Repeat("Families slept on scraps of plastic in Tapachula. ", 120)).TrimEnd();
        var answer = FixedAnswerService.Answered(
            "Where did they sleep?",
            new Citation(2, TestArticle.Mexico, 0, TestArticle.Mexico.Length),
            new Citation(3, longQuote, 0, longQuote.Length),
            new Citation(4, TestArticle.Blinken, 0, TestArticle.Blinken.Length));

        var message = Build(answer);

        AssertWithinLimits(message);
        var shown = MessageJson.Quotes(message.Embed().Description());
        Assert.Equal(TestArticle.Mexico, shown[0]);
        Assert.Equal(TestArticle.Blinken, shown[2]);
        Assert.True(shown[1].Length > 3500);
        Assert.StartsWith(shown[1][..^1], longQuote, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_speech_keeps_its_own_marks_and_other_quotes_get_ours()
    {
        const string speech = "“We are going to help, as we always do,” the Mexican president said this week.";
        var message = Build(FixedAnswerService.Answered(
            "Will Mexico help?",
            new Citation(10, speech, 0, speech.Length),
            new Citation(2, TestArticle.Mexico, 0, TestArticle.Mexico.Length)));

        AssertWithinLimits(message);
        var description = message.Embed().Description();
        Assert.Contains($"\n> {speech}\n— ¶10", description, StringComparison.Ordinal);
        Assert.Contains($"\n> “{TestArticle.Mexico}”\n— ¶2", description, StringComparison.Ordinal);
        Assert.DoesNotContain("““", description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_quote_of_speech_cut_to_fit_still_has_no_doubled_marks()
    {
        var speech = "“" + string.Concat(Enumerable.Repeat("We walked for days and slept on the road. ", 150)).TrimEnd() + "” she said.";
        var message = Build(FixedAnswerService.Answered("What did she say?", new Citation(4, speech, 0, speech.Length)));

        AssertWithinLimits(message);
        var shown = MessageJson.Quotes(message.Embed().Description()).Single();
        Assert.StartsWith("“We walked", shown, StringComparison.Ordinal);
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
        Assert.StartsWith(shown[..^1], speech, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quote_of_one_enormous_word_of_emoji_is_cut_between_characters()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 5000));
        var message = Build(FixedAnswerService.Answered("Smile?", new Citation(2, emoji, 0, emoji.Length)));

        AssertWithinLimits(message);
        var shown = MessageJson.Quotes(message.Embed().Description()).Single();
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
        Assert.StartsWith(shown[..^1], emoji, StringComparison.Ordinal);
        Assert.True(shown.Length % 2 == 1, "an even number of UTF-16 units plus the ellipsis");
    }

    [Fact]
    public void Markdown_and_mentions_inside_article_quotes_are_shown_literally()
    {
        const string quote = "Officials said *nothing* about [the plan](https://x.example) to @everyone, 8,000-strong (1,600km).";
        var message = Build(FixedAnswerService.Answered("What plan?", new Citation(2, quote, 0, quote.Length)));

        AssertWithinLimits(message);
        var shown = MessageJson.Quotes(message.Embed().Description()).Single();
        Assert.Equal(quote, MessageJson.Unescape(shown));
        Assert.Contains(@"\*nothing\*", shown, StringComparison.Ordinal);
        Assert.Contains(@"\[the plan\]", shown, StringComparison.Ordinal);
        Assert.Contains("8,000-strong (1,600km)", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void One_button_per_distinct_cited_paragraph_in_citation_order()
    {
        var answer = FixedAnswerService.Answered(
            "q",
            new Citation(4, "Blinken will meet officials", 0, 27),
            new Citation(2, "Mexico wants sanctions", 0, 22),
            new Citation(4, "in Mexico City on Wednesday.", 28, 56));

        var message = Build(answer);

        Assert.Equal(["src:4", "src:2"], message.CustomIds());
        Assert.Equal([4, 2, 4], MessageJson.Attributions(message.Embed().Description()));
    }

    [Fact]
    public void An_abstention_has_no_quotes_no_footer_and_no_buttons()
    {
        var message = Build(FixedAnswerService.Abstained("Who won the football?"));

        AssertWithinLimits(message);
        Assert.False(message.TryGetProperty("components", out _));
        var embed = message.Embed();
        Assert.Equal("Who won the football?", embed.Title());
        Assert.Equal(FixedAnswerService.NotInArticle, embed.Description());
        Assert.Null(embed.Footer());
    }

    [Fact]
    public void The_footer_names_the_article_and_a_long_headline_is_cut()
    {
        var article = TestArticle.Create(string.Concat(Enumerable.Repeat("Very long headline words ", 200)), TestArticle.Mexico, TestArticle.Families, TestArticle.Blinken);

        var message = Build(FixedAnswerService.DefaultAnswer("q"), article: article);

        AssertWithinLimits(message);
        var footer = message.Embed().Footer()!;
        Assert.StartsWith("From “Very long headline words", footer, StringComparison.Ordinal);
        Assert.EndsWith("…”", footer, StringComparison.Ordinal);
        Assert.True(footer.Length < 260);
    }

    [Fact]
    public void Ephemeral_answers_carry_flag_64_and_public_ones_no_flags()
    {
        Assert.Equal(64, Build(FixedAnswerService.DefaultAnswer("q"), ephemeral: true).Flags());
        Assert.Null(Build(FixedAnswerService.DefaultAnswer("q"), ephemeral: false).Flags());
    }

    [Fact]
    public void A_paragraph_longer_than_a_description_is_cut_within_the_limits()
    {
        var text = string.Concat(Enumerable.Repeat("A very long paragraph of the story goes on. ", 200)).TrimEnd();
        var article = TestArticle.Create(TestArticle.Headline, text);

        var message = JsonSerializer.SerializeToElement(_builder.Paragraph(article.Paragraphs[1], article, ephemeral: true), DiscordJson.Options);

        AssertWithinLimits(message);
        var description = message.Embed().Description();
        Assert.Equal(DiscordLimits.EmbedDescription, description.Length, tolerance: 50);
        Assert.StartsWith(description[..^1], text, StringComparison.Ordinal);
    }
}
