using CaravanBot.Retrieval.Ingestion;

namespace CaravanBot.Retrieval.Tests.Ingestion;

public class BoilerplateDetectorTests
{
    [Theory]
    // Donation and membership appeals
    [InlineData("Your support helps us to tell the story")]
    [InlineData("Your support makes all the difference.")]
    [InlineData("Your donation allows us to keep sending journalists to speak to both sides of the story.")]
    [InlineData("At such a critical moment in US history, we need reporters on the ground.")]
    [InlineData("We believe quality journalism should be available to everyone, paid for by those who can afford it.")]
    [InlineData("Support independent journalism — subscribe for $1")]
    [InlineData("Please consider making a contribution: become a member today.")]
    [InlineData("Donate now")]
    [InlineData("Our reporters attend every council meeting so you don’t have to.")]
    // Newsletters, paywalls, log-in walls
    [InlineData("Sign up for our free Riverside Daily newsletter to get the latest council news delivered to your inbox every morning.")]
    [InlineData("Sign up to the Science Desk’s weekly newsletter")]
    [InlineData("Enter your email address")]
    [InlineData("You’ve read 3 of your 5 free articles this month.")]
    [InlineData("Subscribe to continue reading.")]
    [InlineData("This article is only available to subscribers.")]
    [InlineData("Already a subscriber? Log in")]
    // Comment forums
    [InlineData("Join our commenting forum")]
    [InlineData("Join thought-provoking conversations, follow other Independent readers and see their replies")]
    [InlineData("Join the conversation")]
    [InlineData("Comments")]
    [InlineData("23 comments")]
    [InlineData("Comments are closed.")]
    // Sharing and following
    [InlineData("Share this article")]
    [InlineData("Share on WhatsApp")]
    [InlineData("Copy link")]
    [InlineData("Follow us on Instagram @ScienceDesk")]
    [InlineData("Follow Jo Mensah on X")]
    // Related articles, ads
    [InlineData("Read more: Eastgate residents rally for new library")]
    [InlineData("Related: Bus drivers vote on new contract")]
    [InlineData("Most popular")]
    [InlineData("More from Science")]
    [InlineData("Advertisement")]
    [InlineData("Story continues below advertisement")]
    [InlineData("(AP Photo/Eduardo Verdugo)")]
    // Copyright and cookies
    [InlineData("© 2024 Riverside Gazette Media Ltd. All rights reserved.")]
    [InlineData("Copyright 2023 The Science Desk")]
    [InlineData("We use cookies to personalise content and analyse our traffic.")]
    [InlineData("By continuing to browse this site, you agree to our use of cookies.")]
    [InlineData("Accept all")]
    // Notices about the page itself
    [InlineData("Editor's note: This story was updated at 5:45 p.m. ET to include details from the NASA telecon.")]
    [InlineData("This article has been corrected to show that the vote took place on Tuesday.")]
    // Syndication credits
    [InlineData("Originally published on Live Science.")]
    [InlineData("This article was originally published by Futurism. Read the original article.")]
    [InlineData("This story first appeared in The Marshall Project.")]
    [InlineData("This article is republished from The Conversation under a Creative Commons license.")]
    public void Publisher_boilerplate_is_recognised(string line)
    {
        Assert.True(BoilerplateDetector.IsBoilerplate(line), line);
    }

    [Theory]
    [InlineData("Mexico said it would support the plan.")]
    [InlineData("Mr López Obrador has said he is willing to help enforce immigration rules at the shared border.")]
    [InlineData("Aid agencies said each family would receive their share of the aid by Friday.")]
    [InlineData("Share prices fell 4% in early trading.")]
    [InlineData("Support for the plan has fallen since January.")]
    [InlineData("The mayor declined to comment.")]
    [InlineData("The report has been updated twice since the inquiry began, the minister said.")]
    [InlineData("The story was corrected by the newspaper after the family complained.")]
    [InlineData("The findings were first published in the journal Nature in 2019.")]
    [InlineData("First published in 1843, the novel has never been out of print.")]
    [InlineData("The letter, originally published in a local paper, was shared widely online.")]
    [InlineData("Residents can comment on the spending plan at a public hearing on March 14.")]
    [InlineData("The billionaire made a donation of $5m to the children’s hospital.")]
    [InlineData("Subscribers to the water utility will see bills rise by 6%.")]
    [InlineData("Follow-up talks are planned for next week.")]
    [InlineData("Click-through rates on the city’s website doubled.")]
    [InlineData("Click and collect orders doubled over Christmas.")]
    [InlineData("If you live in Eastgate, your bins will be collected on Tuesday instead of Monday.")]
    [InlineData("Our correspondent in Kyiv reports that the shelling continued overnight.")]
    [InlineData("Fans can sign up for ticket alerts on the club’s website.")]
    [InlineData("The paywall was introduced in 2010 and now has 300,000 subscribers.")]
    [InlineData("Cookies and cakes were sold to raise money for the school roof.")]
    [InlineData("The study was published in the journal Nature Ecology.")]
    [InlineData("Reporters were kept outside the chamber during the vote.")]
    [InlineData("“We need your support,” the mayor told volunteers.")]
    [InlineData("“Join us, share this message, and sign up to vote,” the campaign said.")]
    [InlineData("“We are going to help, as we always do,” the Mexican president said this week.")]
    [InlineData("The senator told The Independent that the story was false.")]
    [InlineData("Comments made by the minister angered farmers.")]
    [InlineData("Related charges were filed against two other men.")]
    [InlineData("Advertising revenue fell for the third year.")]
    [InlineData("Read the full report on the council’s website, officials said.")]
    [InlineData("Birdwatchers who want to support the research can report ringed robins online.")]
    public void Story_sentences_with_trigger_words_are_not_boilerplate(string sentence)
    {
        Assert.False(BoilerplateDetector.IsBoilerplate(sentence), sentence);
    }

    [Fact]
    public void Quoted_text_is_blanked_with_its_length_kept()
    {
        const string text = "“Donate now,” he said. The \"subscribe\" button";
        var masked = BoilerplateDetector.MaskQuotes(text);
        Assert.Equal(text.Length, masked.Length);
        Assert.Equal(new string(' ', "“Donate now,”".Length) + " he said. The " + new string(' ', "\"subscribe\"".Length) + " button", masked);
    }

    [Fact]
    public void An_unclosed_quote_runs_to_the_end_of_the_paragraph()
    {
        Assert.Equal("He said: " + new string(' ', "“Join us...".Length), BoilerplateDetector.MaskQuotes("He said: “Join us..."));
    }
}
