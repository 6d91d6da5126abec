using System.Text.Json;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Features;
using CaravanBot.Retrieval.Answering;
using CaravanBot.Retrieval.Prompts;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>What Discord is sent when the model's wording, a question or an article carries markup, controls or bidi overrides.</summary>
public sealed class HostileTextMessageTests
{
    private const string Overridden = "Mexico wants sanctions on Cuba and \u202EVenezuela\u202C lifted";
    private readonly AnswerMessageBuilder _builder = new(new ReplyWording(new PromptProvider()));

    [Fact]
    public void The_models_wording_has_markdown_escaped_and_no_control_characters()
    {
        var answer = new Answer
        {
            Question = "What does Mexico want?",
            Answered = true,
            Text = "**Mexico** wants _aid_ # and > more\u001B]0;x\u0007 \u202Edone",
            Citations = [new Citation(2, TestArticle.Mexico[..51], 0, 51)],
            Mode = AnswerMode.Llm,
        };

        var description = Build(answer).Embed().Description();

        var leadIn = description[..description.IndexOf("\n\n", StringComparison.Ordinal)];
        Assert.Equal(@"\*\*Mexico\*\* wants \_aid\_ \# and \> more \]0;x done", leadIn);
    }

    [Fact]
    public void A_bidi_override_in_a_quote_shows_a_marker_and_none_in_the_question_survives()
    {
        var article = TestArticle.Create(TestArticle.Headline, Overridden + ".");
        var answer = new Answer
        {
            Question = "What does \u202EMexico\u202C want?\u0007",
            Answered = true,
            Text = "Here is what the article says:",
            Citations = [new Citation(2, Overridden, 0, Overridden.Length)],
        };

        var message = JsonSerializer.SerializeToElement(_builder.Answer(answer, article, ephemeral: false), DiscordJson.Options);

        var strings = message.Strings().ToArray();
        Assert.DoesNotContain(strings, s => s.Any(c => char.IsControl(c) && c != '\n' || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'));
        Assert.Contains("Cuba and \uFFFDVenezuela\uFFFD lifted", message.Embed().Description(), StringComparison.Ordinal);
        Assert.Equal("What does Mexico want?", message.Embed().Title());
    }

    [Fact]
    public void Reader_text_loses_bidi_overrides()
    {
        Assert.Equal("txt.exe", DiscordText.ReaderLine("\u202Etxt.exe\u202C", 100));
    }

    private JsonElement Build(Answer answer) =>
        JsonSerializer.SerializeToElement(_builder.Answer(answer, TestArticle.Article, ephemeral: false), DiscordJson.Options);
}
