using System.Text.Json;
using CaravanBot.Bot.Cli;
using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class AnswerFormatterTests
{
    [Fact]
    public void Each_quote_is_its_own_block_in_the_order_given()
    {
        var answer = Answered(new Citation(7, "They want aid.", 0, 14), new Citation(3, "They want a wall.", 0, 17));

        Assert.Equal(
            "Here is what the article says:\n> “They want aid.” (¶7)\n> “They want a wall.” (¶3)\n",
            AnswerFormatter.ToReadable(answer));
    }

    [Theory]
    [InlineData("“We are going to help, as we always do,” the Mexican president said this week.")]
    [InlineData("\"I know it got overshadowed, but as a defense, we didn't play well.")]
    [InlineData("Noem later tweeted that the epidemic “needs to be a dinner table conversation.”")]
    public void A_quote_with_quotation_marks_of_its_own_at_an_end_is_not_wrapped_in_ours(string quote)
    {
        var answer = Answered(new Citation(10, quote, 0, quote.Length));

        Assert.Equal($"Here is what the article says:\n> {quote} (¶10)\n", AnswerFormatter.ToReadable(answer));
    }

    [Fact]
    public void A_quote_spanning_lines_stays_inside_its_block()
    {
        var answer = Answered(new Citation(2, "first line\nsecond line", 0, 22));

        Assert.Equal("Here is what the article says:\n> “first line\n> second line” (¶2)\n", AnswerFormatter.ToReadable(answer));
    }

    [Theory]
    [InlineData(12.34567, 12.346)]
    [InlineData(0.0004, 0)]
    [InlineData(180, 180)]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 0)]
    public void Latency_is_rounded_to_three_decimals_and_always_a_json_number(double latency, double expected)
    {
        var line = AnswerFormatter.ToJsonLine(Answered() with { LatencyMs = latency });

        using var json = JsonDocument.Parse(line);
        Assert.Equal(expected, json.RootElement.GetProperty("latency_ms").GetDouble());
    }

    private static Answer Answered(params Citation[] citations) => new()
    {
        Question = "q",
        Answered = true,
        Text = "Here is what the article says:",
        Citations = citations,
    };
}
