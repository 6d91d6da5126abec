using CaravanBot.Retrieval.Lexical;

namespace CaravanBot.Retrieval.Tests.Lexical;

public sealed class ThesaurusTests
{
    private readonly Thesaurus _thesaurus = Thesaurus.Shared;

    [Theory]
    [InlineData("demands", "demand")]
    [InlineData("died", "die")]
    [InlineData("led", "lead")]
    [InlineData("arrested", "arrest")]
    [InlineData("stopped", "stop")]
    [InlineData("children", "child")]
    [InlineData("studies", "study")]
    [InlineData("organised", "organize")]
    public void A_word_is_brought_to_its_dictionary_form(string word, string lemma) =>
        Assert.Contains(lemma, _thesaurus.Lemmas(word));

    [Theory]
    [InlineData("demands", "want")]
    [InlineData("asking", "want")]
    [InlineData("killed", "die")]
    [InlineData("fans", "crowd")]
    [InlineData("arrested", "detain")]
    [InlineData("total", "sum")]
    public void Words_readers_use_for_the_article_word_are_related_to_it(string question, string article) =>
        Assert.Contains(article, _thesaurus.Expand(question));

    [Theory]
    [InlineData("demand", "sleep")]
    [InlineData("fans", "migrant")]
    public void Unrelated_words_are_not_related(string a, string b) =>
        Assert.DoesNotContain(b, _thesaurus.Expand(a));

    [Fact]
    public void An_unknown_word_is_its_own_lemma() =>
        Assert.Equal(["zzyzx"], _thesaurus.Lemmas("zzyzx"));

    [Fact]
    public void Thousands_of_common_words_are_known() =>
        Assert.True(_thesaurus.Count > 10_000, $"{_thesaurus.Count} lemmas");
}

public sealed class LightStemmerTests
{
    [Theory]
    [InlineData("organised", "organiser")]
    [InlineData("organizing", "organisation")]
    [InlineData("wants", "wanted")]
    [InlineData("migrants", "migrant")]
    public void Forms_of_one_word_share_a_stem(string a, string b) =>
        Assert.Equal(LightStemmer.Stem(a), LightStemmer.Stem(b));

    [Theory]
    [InlineData("noise")]
    [InlineData("rise")]
    public void Short_words_ending_like_a_suffix_keep_their_stem(string word) =>
        Assert.Equal(word, LightStemmer.Stem(word));
}
