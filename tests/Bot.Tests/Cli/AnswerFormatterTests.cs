using System.Text.Json;
using CaravanBot.Bot.Cli;
using CaravanBot.Retrieval.Answering;

namespace CaravanBot.Bot.Tests.Cli;

public sealed class AnswerFormatterTests
{
    [Fact]
    public void Each_quote_is_its_own_block_in_the_order_given()
    {
        var answer = Answered(new Citation(7, "They want aid.", 0, 14), new Citation(3, "“We are going to help,”", 0, 23));

        Assert.Equal(
            "Here is what the article says:\n> “They want aid.” (¶7)\n> ““We are going to help,”” (¶3)\n",
            AnswerFormatter.ToReadable(answer));
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
