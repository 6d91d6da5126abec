using CaravanBot.Retrieval.Search;

namespace CaravanBot.Retrieval.Tests.Search;

public sealed class EntityCatalogTests
{
    private static Entity Find(EntityCatalog catalog, string nameEnd) =>
        catalog.Entities.Single(e => e.Name.EndsWith(nameEnd, StringComparison.Ordinal));

    [Fact]
    public void Aliases_come_from_how_the_article_introduces_a_person()
    {
        string[] sentences =
        [
            "The delegation will meet Mexican President Andrés Manuel López Obrador in Mexico City on Wednesday.",
            "Mr López Obrador has said he is willing to help.",
            "“We are going to help,” the Mexican president said this week.",
        ];

        var catalog = EntityCatalog.Mine(sentences);
        var president = Find(catalog, "Obrador");

        Assert.Equal("Andrés Manuel López Obrador", president.Name);
        Assert.Contains("lopez obrador", president.Aliases);
        Assert.Contains("mexican president", president.Aliases);
        Assert.Contains("mexico", president.Aliases);
        Assert.All(sentences, s => Assert.Contains(catalog.Entities.ToList().IndexOf(president), catalog.MentionsIn(s)));
    }

    [Fact]
    public void Aliases_are_mined_from_any_article_not_a_list_about_one_story()
    {
        string[] sentences =
        [
            "Norwegian Prime Minister Ingrid Solberg Dahl opened the summit in Oslo.",
            "Norway wants a binding deal on fishing quotas.",
            "Ms Dahl told reporters the talks would be hard.",
            "Councillor Maria Okafor, who chairs the finance committee, backed the levy.",
            "Ms Okafor said the vote was close.",
        ];

        var catalog = EntityCatalog.Mine(sentences);
        var minister = Find(catalog, "Dahl");
        var councillor = Find(catalog, "Okafor");

        Assert.Contains("norway", minister.Aliases);
        Assert.Contains("norwegian prime minister", minister.Aliases);
        Assert.Contains("dahl", minister.Aliases);
        Assert.Contains("okafor", councillor.Aliases);
        Assert.DoesNotContain("norway", councillor.Aliases);
    }

    [Fact]
    public void A_place_alone_is_not_taken_for_a_person()
    {
        var catalog = EntityCatalog.Mine(["Floods hit Lowmere on Tuesday.", "The river rose in Lowmere overnight."]);

        Assert.Empty(catalog.Entities);
    }
}

public sealed class EntityCatalogNamingTests
{
    private static readonly string[] Sentences =
    [
        "The delegation will meet Mexican President Andrés Manuel López Obrador in Mexico City on Wednesday.",
        "Mr López Obrador has said he is willing to help.",
        "“We are going to help,” the Mexican president said this week.",
    ];

    [Fact]
    public void A_long_name_is_also_known_by_its_initials()
    {
        var catalog = EntityCatalog.Mine(Sentences);

        Assert.Single(catalog.MentionsIn("What does AMLO want from Washington?"));
    }

    [Fact]
    public void A_two_word_name_gets_no_initials()
    {
        var catalog = EntityCatalog.Mine(["Police said Kevin King was freed.", "Mr King is a professor."]);

        Assert.Empty(catalog.MentionsIn("What did KK say?"));
    }

    [Theory]
    [InlineData("“We are going to help,” the Mexican president said this week.", "“We are going to help,” Andrés Manuel López Obrador said this week.")]
    [InlineData("Mr López Obrador has said he is willing to help.", "Andrés Manuel López Obrador has said he is willing to help.")]
    [InlineData("Floods hit the valley.", "Floods hit the valley.")]
    public void Every_mention_reads_as_the_full_name(string sentence, string read)
    {
        var catalog = EntityCatalog.Mine(Sentences);

        Assert.Equal(read, catalog.WithFullNames(sentence));
    }
}

public sealed class ShortNameTests
{
    private static readonly string[] Sentences =
    [
        "Wild coach Bruce Boudreau expressed confidence in the veteran winger.",
        "Boudreau said the team was playing well.",
        "But when Dr. Owen Dempsey, a pulmonologist, took a look, he disagreed.",
        "Dempsey said it happens much more than we realize.",
        "Dr Jennifer Ngo-Anh of the European Space Agency led the study.",
    ];

    [Theory]
    [InlineData("what did bruce tell the boys in his pep talk", "Boudreau")]
    [InlineData("what did dr D say about how common this is", "Dempsey")]
    [InlineData("how much would dr jen want to cut metabolism by", "Ngo-Anh")]
    public void A_first_name_its_short_form_or_a_title_with_an_initial_names_the_person(string question, string surname)
    {
        var catalog = EntityCatalog.Mine(Sentences);

        var mentioned = Assert.Single(catalog.MentionsIn(question));
        Assert.EndsWith(surname, catalog.Entities[mentioned].Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("What did Mr Carlineo say on the call?", "Carlineo Jr")]
    [InlineData("What did Rep. Omar say?", "Ilhan Omar")]
    [InlineData("how many goals did zach parise score", "Zach Parise")]
    public void A_title_a_suffix_or_a_possessive_does_not_hide_the_name(string question, string name)
    {
        var catalog = EntityCatalog.Mine(
        [
            "Patrick W. Carlineo Jr., 55, of Addison, pleaded guilty to threatening to kill U.S. Rep. Ilhan Omar.",
            "Mr. Carlineo faces a maximum of 10 years in prison.",
            "Zach Parise’s first-period goals gave the Wild the lead.",
        ]);

        var mentioned = Assert.Single(catalog.MentionsIn(question));
        Assert.EndsWith(name, catalog.Entities[mentioned].Name, StringComparison.Ordinal);
    }

    [Fact]
    public void The_words_around_a_name_are_not_taken_for_it()
    {
        var catalog = EntityCatalog.Mine(
        [
            "Secretary of State Antony Blinken met Mexican President Andrés Manuel López Obrador.",
            "Secretary of Homeland Security Alejandro Mayorkas joined them.",
        ]);

        // "and" is no short form of "Andrés"; "state" and "security" are the domains of two offices, not people.
        Assert.Empty(catalog.MentionsIn("How did the talks start and end?"));
        Assert.Empty(catalog.MentionsIn("What did the state say about security?"));
    }

    [Theory]
    [InlineData("What's new in the case?")]
    [InlineData("Who spoke first?")]
    [InlineData("Which states are involved?")]
    public void The_first_word_of_a_place_or_an_organisation_names_no_one(string question)
    {
        var catalog = EntityCatalog.Mine(
        [
            "The case was heard in New York on Monday.",
            "New York prosecutors said the First Amendment does not protect threats.",
            "The United States has laws against it.",
        ]);

        Assert.Empty(catalog.MentionsIn(question));
    }

    [Fact]
    public void A_short_form_that_is_an_English_word_names_no_one()
    {
        var catalog = EntityCatalog.Mine(["Police chief Robert Hale said the road was closed.", "Hale said more later."]);

        Assert.Empty(catalog.MentionsIn("who will rob the bank"));
    }
}

public sealed class AcronymTests
{
    [Theory]
    [InlineData("What does the ISTA want lawmakers to do?", "What does the Indiana State Teachers Association want lawmakers to do?")]
    [InlineData("What size lander is SNC working on?", "What size lander is Sierra Nevada Corp. working on?")]
    [InlineData("What does the union want?", "What does the union want?")]
    public void Initials_of_a_name_the_article_spells_out_read_as_the_name(string question, string read) =>
        Assert.Equal(read, ExpandIn(
            [
                "Thousands of teachers rallied, organised by the Indiana State Teachers Association.",
                "Sierra Nevada Corp. and Ceres Robotics are developing mid-sized landers.",
            ],
            question));

    [Theory]
    [InlineData("What does the ISTA want lawmakers to do?", "What does the Indiana State Teachers Association want lawmakers to do?")]
    [InlineData("Where does the NRA work?", "Where does the Northern Rivers Authority work?")]
    [InlineData("What does the IS want?", "What does the IS want?")]
    public void Initials_of_a_name_inside_a_longer_run_of_capitals_read_as_the_name(string question, string read) =>
        Assert.Equal(read, ExpandIn(
            [
                "Indiana State Teachers Association President Keith Gambill told the crowd to keep going.",
                "The Northern Rivers Authority said the wall would hold.",
            ],
            question));

    private static string ExpandIn(string[] sentences, string question) =>
        Acronyms.Build(sentences, new QuerySpeller(sentences)).Expand(question);
}

[Collection(EngineCollection.Name)]
public sealed class ArticleWordingTests
{
    private readonly EngineFixture _engine;

    public ArticleWordingTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Fact]
    public void A_question_word_the_article_never_uses_is_read_as_its_related_article_word() =>
        Assert.Equal("What are López Obrador's wants?", _engine.Caravan.Index.Words.InArticleWords("What are López Obrador's demands?"));

    [Fact]
    public void A_question_in_the_article_s_words_is_left_alone() =>
        Assert.Null(_engine.Caravan.Index.Words.InArticleWords("What does Mexico want?"));
}

[Collection(EngineCollection.Name)]
public sealed class UnknownNameTests
{
    private readonly EngineFixture _engine;

    public UnknownNameTests(EngineFixture engine)
    {
        _engine = engine;
    }

    [Theory]
    [InlineData("What are López Obrador's demands?", 0)]
    [InlineData("What did Blinken say?", 0)]
    [InlineData("What did Trudeau say?", 1)]
    [InlineData("What are Trudeau's demands?", 1)]
    public void A_name_the_article_uses_is_known_in_the_possessive_too(string question, int unknown) =>
        Assert.Equal(unknown, _engine.Caravan.Search(question).Question.UnknownNames);

    [Theory]
    [InlineData("What conditions has AMLO set for helping at the border?", 0)]
    [InlineData("What conditions has NATO set for helping at the border?", 1)]
    public void A_short_form_read_as_an_article_name_is_no_unknown_name(string question, int unknown) =>
        Assert.Equal(unknown, _engine.Caravan.Search(question).Question.UnknownNames);
}
