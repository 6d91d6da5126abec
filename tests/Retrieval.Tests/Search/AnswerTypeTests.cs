using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class AnswerTypeTests
{
    [Theory]
    [InlineData("How old is Kevin King?", AnswerType.Age)]
    [InlineData("How much will the ID. Space Vizzion cost?", AnswerType.Money)]
    [InlineData("how much did they pay for the jets", AnswerType.Money)]
    [InlineData("What did the flooding cost the hairdresser?", AnswerType.Money)]
    [InlineData("What is Blinken's salary?", AnswerType.Money)]
    [InlineData("What's the total budget for these lunar delivery deals?", AnswerType.Money)]
    [InlineData("what's the biggest fine he could get hit with", AnswerType.Money)]
    [InlineData("How much severance will the laid-off employees get?", AnswerType.Money)]
    [InlineData("What humidity percentage is in the forecast?", AnswerType.Percent)]
    [InlineData("How long will Dubnyk be out?", AnswerType.Duration)]
    [InlineData("When is the next rally planned?", AnswerType.Time)]
    [InlineData("Which years did the study cover?", AnswerType.Time)]
    [InlineData("What was the final score of the game?", AnswerType.Score)]
    [InlineData("Who paid for the research?", AnswerType.Agent)]
    [InlineData("What is the name of the group representing rural counties?", AnswerType.Name)]
    [InlineData("Where will the new wall be built?", AnswerType.Place)]
    [InlineData("Why is the utility cutting the power?", AnswerType.Reason)]
    [InlineData("How tall is Starship?", AnswerType.Measure)]
    [InlineData("What's the man's name?", AnswerType.Name)]
    [InlineData("How much does the car weigh?", AnswerType.Measure)]
    [InlineData("what's the top speed on the concept?", AnswerType.Measure)]
    [InlineData("How quickly did he start improving?", AnswerType.Duration)]
    public void A_question_asks_for_the_kind_of_fact_its_wording_says(string question, AnswerType kind) =>
        Assert.True(AnswerTypes.OfQuestion(question).HasFlag(kind), $"{question} → {AnswerTypes.OfQuestion(question)}");

    [Theory]
    [InlineData("how do the pods stop condensation when they get cooled down")]
    [InlineData("What does Mexico want?")]
    public void When_as_a_conjunction_and_plain_what_questions_ask_for_no_time(string question) =>
        Assert.False(AnswerTypes.OfQuestion(question).HasFlag(AnswerType.Time));

    [Theory]
    [InlineData("How much horsepower does the rear motor make?", AnswerType.Money)]
    [InlineData("How did Parise score his first goal?", AnswerType.Score)]
    [InlineData("At what times did Parise score his two goals?", AnswerType.Score)]
    [InlineData("What did the French company say about the pay dispute?", AnswerType.Money)]
    [InlineData("What did the teacher pay commission end up recommending?", AnswerType.Money)]
    [InlineData("What did Mr Achebe call the pay offer?", AnswerType.Money)]
    public void A_word_that_also_names_a_kind_of_fact_does_not_make_the_question_ask_for_it(string question, AnswerType not) =>
        Assert.False(AnswerTypes.OfQuestion(question).HasFlag(not), $"{question} → {AnswerTypes.OfQuestion(question)}");

    [Fact]
    public void How_many_names_the_thing_counted()
    {
        Assert.Equal("children", AnswerTypes.Frame("How many children are in the caravan?").Counted);
        Assert.Equal("hives", AnswerTypes.Frame("How many honeybee hives are there?").Counted);
    }

    [Theory]
    [InlineData("How many trains ran on Monday?", "trains")]
    [InlineData("How many migrants drowned on the way?", "migrants")]
    [InlineData("How many companies applied to join the program?", "companies")]
    [InlineData("How many WeWork employees outside the US are losing their jobs?", "employees")]
    [InlineData("How many school districts shut down because of the rally?", "districts")]
    [InlineData("How many hospital staff couldn't get to work?", "staff")]
    [InlineData("How much extra body fat would an astronaut need?", "fat")]
    public void The_thing_counted_is_the_noun_not_the_verb_or_place_after_it(string question, string counted) =>
        Assert.Equal(counted, AnswerTypes.Frame(question).Counted);

    [Theory]
    [InlineData("How much is the developer levy for each new home?")]
    [InlineData("How much does the car weigh?")]
    public void How_much_before_a_verb_counts_no_noun(string question) =>
        Assert.Null(AnswerTypes.Frame(question).Counted);

    [Fact]
    public void How_many_days_off_asks_for_a_length_of_time() =>
        Assert.True(AnswerTypes.OfQuestion("How many days off work did he have to take?").HasFlag(AnswerType.Duration));

    [Theory]
    [InlineData("Patrick W. Carlineo Jr., 55, of Addison, pleaded guilty.", AnswerType.Age)]
    [InlineData("A 43-year-old man developed the condition.", AnswerType.Age)]
    [InlineData("The deal is worth $8.8 billion at list prices.", AnswerType.Money)]
    [InlineData("More than 40% of front gardens were paved.", AnswerType.Percent)]
    [InlineData("He faces a maximum of 10 years in prison.", AnswerType.Duration)]
    [InlineData("The Wild beat the Sabres 4-1 on Tuesday.", AnswerType.Score)]
    [InlineData("The layoffs are part of an effort to cut costs.", AnswerType.Reason)]
    [InlineData("The US briefly closed two railway crossings last week as border patrol agents were reassigned.", AnswerType.Reason)]
    [InlineData("Reform has been deadlocked as Republicans in Congress have sought to tie aid to tougher rules.", AnswerType.Reason)]
    [InlineData("Door handles are done away with in favor of touch pads, again with reducing wind drag in mind.", AnswerType.Reason)]
    [InlineData("The Wild lost defenseman Matt Dumba, who sat out the third period, to an undisclosed injury.", AnswerType.Reason)]
    [InlineData("\"That way they may uncover things in the environment that trigger lung disease.\"", AnswerType.Reason)]
    [InlineData("Its range is up to 590 km on one charge.", AnswerType.Measure)]
    [InlineData("They drew up a roadmap to hibernate humans to Mars within 20 years.", AnswerType.Time)]
    [InlineData("The line should reopen in two weeks.", AnswerType.Time)]
    public void A_sentence_supplies_the_facts_its_wording_holds(string sentence, AnswerType kind) =>
        Assert.True(AnswerTypes.OfSentence(sentence, mentionsActor: false).HasFlag(kind), $"{sentence} → {AnswerTypes.OfSentence(sentence, false)}");

    [Theory]
    [InlineData("\"My life is pretty much as it was before,\" the patient wrote.")]
    [InlineData("Such as those were, the results served as a warning.")]
    [InlineData("She worked as a nurse for ten years.")]
    public void As_in_a_comparison_or_a_role_gives_no_reason(string sentence) =>
        Assert.False(AnswerTypes.OfSentence(sentence, mentionsActor: false).HasFlag(AnswerType.Reason), sentence);

    [Fact]
    public void A_sentence_without_a_number_supplies_no_age_money_or_measure()
    {
        var kinds = AnswerTypes.OfSentence("American Kevin King and Australian Timothy Weeks were professors in Kabul.", mentionsActor: true);

        Assert.False(kinds.HasFlag(AnswerType.Age));
        Assert.False(kinds.HasFlag(AnswerType.Money));
        Assert.False(kinds.HasFlag(AnswerType.Measure));
    }

    [Fact]
    public void The_words_a_number_counts_are_known()
    {
        var counted = AnswerTypes.CountedWords("An estimated 8,000-strong group of migrants set out, including many families.");

        Assert.Contains("migrants", counted);
        Assert.DoesNotContain("families", counted);
    }
}
