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
