using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class QuestionPartsTests
{
    [Theory]
    [InlineData("When and where was the game played?", "When was the game played?", "where was the game played?")]
    [InlineData("Who were the hostages and when were they abducted?", "Who were the hostages", "when were they abducted?")]
    [InlineData("What treatment did he get, and how quickly did he start improving?", "What treatment did he get", "how quickly did he start improving?")]
    [InlineData("How big is the caravan and where are the migrants from?", "How big is the caravan", "where are the migrants from?")]
    [InlineData("Which steroid was he put on, and at what dose?", "Which steroid was he put on", "at what dose?")]
    public void A_question_asking_two_things_is_searched_as_two_parts(string question, string first, string second) =>
        Assert.Equal([first, second], QuestionParts.Split(question));

    [Theory]
    [InlineData("What does Mexico want?")]
    [InlineData("how do the pods stop condensation when they get cooled down")]
    [InlineData("Who said the wall won't be finished until 2027?")]
    [InlineData("What did the council and the union agree?")]
    public void A_question_asking_one_thing_is_one_part(string question) =>
        Assert.Equal([question], QuestionParts.Split(question));
}
