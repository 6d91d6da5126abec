using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Tests.Features;

public sealed class DiscordTextTests
{
    [Theory]
    [InlineData("@everyone", "@\u200Beveryone")]
    [InlineData("@here now", "@\u200Bhere now")]
    [InlineData("<@123>", "<@\u200B123>")]
    [InlineData("<@!123>", "<@\u200B!123>")]
    [InlineData("<@&123>", "<@\u200B&123>")]
    [InlineData("mail me at someone@example.com", "mail me at someone@example.com")]
    [InlineData("<#123> is a channel", "<#123> is a channel")]
    [InlineData("no at sign", "no at sign")]
    public void NeutraliseMentions_breaks_only_mentions(string text, string expected) =>
        Assert.Equal(expected, DiscordText.NeutraliseMentions(text));

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("one two three four", 12, "one two…")]
    [InlineData("onetwothreefour", 8, "onetwot…")]
    [InlineData("a *b*", 10, @"a \*b\*")]
    [InlineData("a *b* c d e", 9, @"a \*b\*…")]
    public void ReaderLine_escapes_then_fits(string text, int max, string expected) =>
        Assert.Equal(expected, DiscordText.ReaderLine(text, max));

    [Fact]
    public void An_escape_is_never_separated_from_its_character()
    {
        var fitted = DiscordText.ReaderLine("**********", 6);

        Assert.Equal(@"\*\*…", fitted);
    }

    [Fact]
    public void A_surrogate_pair_is_never_split()
    {
        var fitted = DiscordText.ArticleText("😀😀😀😀😀", 4);

        Assert.Equal("😀…", fitted);
    }

    [Fact]
    public void A_flag_or_a_family_emoji_is_kept_whole_or_dropped_whole()
    {
        var fitted = DiscordText.ArticleText("🇲🇽🇲🇽🇲🇽", 6);

        Assert.Equal("🇲🇽…", fitted);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" \t\n", true)]
    [InlineData("\u200B\u200D\u2060\uFEFF", true)]
    [InlineData("?", false)]
    [InlineData("\u200Ba", false)]
    public void IsBlank_sees_only_what_a_reader_would_see(string text, bool blank) =>
        Assert.Equal(blank, DiscordText.IsBlank(text));
}
