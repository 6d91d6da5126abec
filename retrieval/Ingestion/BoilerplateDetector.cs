using System.Text;
using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Recognises publisher boilerplate (donation appeals, comment-forum lines, newsletter, share,
/// copyright) in news text.
/// </summary>
/// <remarks>
/// <para>
/// Every cue is a general pattern of how news sites talk to their readers, never a phrase from one
/// story. A cue is either reader-addressed ("your support", "sign up for our newsletter", "join
/// our commenting forum") or the publisher talking about itself ("we need reporters on the
/// ground", "our reporting", "quality journalism"). Story sentences that merely contain words such
/// as <i>support</i>, <i>share</i>, <i>comment</i> or <i>donation</i> ("Mexico said it would
/// support the plan", "their share of the aid", "The mayor declined to comment.") match no cue.
/// </para>
/// <para>
/// Scoring, per sentence: text inside quotation marks is ignored first (a politician saying
/// “we need your support” is story, not appeal). A <b>strong</b> cue scores
/// <see cref="SentenceThreshold"/> on its own. <b>Weak</b> cues score 1 each: unquoted
/// first-person plural (<i>we</i>, <i>our</i>, <i>us</i>, which news copy uses only inside quotes),
/// the publisher's own name as a subject, second person (<i>you</i>, <i>your</i>), journalism
/// vocabulary next to such a self-reference, publisher-mission phrases, and newsletter and
/// sign-up words. A sentence scoring
/// <see cref="SentenceThreshold"/> or more is boilerplate. Paragraph-level rules (most sentences
/// boilerplate, label lines, related-article lists) live in <see cref="BoilerplateFilter"/>.
/// </para>
/// </remarks>
public static partial class BoilerplateDetector
{
    /// <summary>Score at which a sentence counts as boilerplate.</summary>
    internal const int SentenceThreshold = 2;

    /// <summary>Short UI labels are at most this long; longer lines are sentences and go through the cues.</summary>
    private const int MaxLabelLength = 40;

    /// <summary>True when the sentence or short line is publisher boilerplate rather than story text.</summary>
    public static bool IsBoilerplate(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var text = TextCleaner.CleanParagraph(sentence);
        return IsLabel(text) || Score(MaskQuotes(text), PublisherNames.None) >= SentenceThreshold;
    }

    /// <summary>
    /// Scores one sentence whose quoted text is already blanked by <see cref="MaskQuotes"/>:
    /// <see cref="SentenceThreshold"/> for a strong cue, otherwise the sum of the weak cues.
    /// </summary>
    internal static int Score(string maskedSentence, PublisherNames names)
    {
        var s = ForMatching(maskedSentence);
        if (s.Length == 0)
        {
            return 0;
        }

        if (StrongCue().IsMatch(s) || PromotionCue().IsMatch(s) || CopyrightMark().IsMatch(s) || ImperativeCue().IsMatch(s))
        {
            return SentenceThreshold;
        }

        var score = 0;
        var selfReference = FirstPersonPlural().IsMatch(s) || names.IsSelfMention(s);
        if (selfReference)
        {
            score++;
            if (JournalismVocabulary().IsMatch(s))
            {
                score++;
            }
        }

        if (SecondPerson().IsMatch(s))
        {
            score++;
        }

        if (MissionCue().IsMatch(s))
        {
            score++;
        }

        if (NewsletterCue().IsMatch(s))
        {
            score++;
        }

        if (SignUpCue().IsMatch(s))
        {
            score++;
        }

        return score;
    }

    /// <summary>
    /// A short interface label left over from the page ("Comments", "Share", "Advertisement",
    /// "Read more", "Most popular", a photo credit): a few words, no sentence punctuation.
    /// </summary>
    internal static bool IsLabel(string line)
    {
        var s = ForMatching(line);
        return s.Length > 0 && s.Length <= MaxLabelLength && (UiLabel().IsMatch(s) || CreditLine().IsMatch(s));
    }

    /// <summary>A label that introduces a list of other stories' headlines ("Related", "Most read", "More from Science").</summary>
    internal static bool IsRelatedListLabel(string line)
    {
        var s = ForMatching(line);
        return s.Length > 0 && s.Length <= MaxLabelLength && RelatedListLabel().IsMatch(s);
    }

    /// <summary>
    /// Replaces quoted text, quotation marks included, with spaces so that cues never fire on what
    /// someone in the story said. The result has the same length, so sentence spans still apply.
    /// An opening quote that never closes runs to the end (news style leaves a quote open when it
    /// continues into the next paragraph); a closing quote with no opening one covers everything
    /// before it.
    /// </summary>
    internal static string MaskQuotes(string text)
    {
        if (text.AsSpan().IndexOfAny("“”\"«»") < 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        var openAt = -1;
        var unmaskedFrom = 0;
        var close = '\0';
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (openAt < 0)
            {
                switch (c)
                {
                    case '“':
                        openAt = i;
                        close = '”';
                        break;
                    case '«':
                        openAt = i;
                        close = '»';
                        break;
                    case '"':
                        openAt = i;
                        close = '"';
                        break;
                    case '”':
                        Array.Fill(chars, ' ', unmaskedFrom, i + 1 - unmaskedFrom);
                        unmaskedFrom = i + 1;
                        break;
                }

                continue;
            }

            var closes = c == close || (close == '”' && c == '"') || (close == '"' && c == '”');
            if (closes)
            {
                Array.Fill(chars, ' ', openAt, i + 1 - openAt);
                openAt = -1;
                unmaskedFrom = i + 1;
            }
        }

        if (openAt >= 0)
        {
            Array.Fill(chars, ' ', openAt, chars.Length - openAt);
        }

        return new string(chars);
    }

    /// <summary>
    /// The sentence as the cues expect it: curly apostrophes straightened, leading bullets, arrows
    /// and blanked quotes removed so that imperatives are found at the start, spaces collapsed.
    /// </summary>
    private static string ForMatching(string sentence)
    {
        var start = 0;
        while (start < sentence.Length && !char.IsLetterOrDigit(sentence[start]) && sentence[start] is not ('©' or '(' or '@'))
        {
            start++;
        }

        var end = sentence.Length;
        while (end > start && char.IsWhiteSpace(sentence[end - 1]))
        {
            end--;
        }

        var span = sentence.AsSpan(start, end - start);
        if (span.IndexOfAny('’', '‘') < 0 && !span.Contains("  ", StringComparison.Ordinal))
        {
            return span.ToString();
        }

        var sb = new StringBuilder(span.Length);
        var previousSpace = false;
        foreach (var c in span)
        {
            if (c == ' ')
            {
                if (!previousSpace)
                {
                    sb.Append(c);
                }

                previousSpace = true;
                continue;
            }

            previousSpace = false;
            sb.Append(c is '’' or '‘' ? '\'' : c);
        }

        return sb.ToString();
    }

    /// <summary>Cues that mark a sentence as boilerplate on their own, anywhere in the sentence.</summary>
    // NonBacktracking (here and on the other unanchored cue lists): with this many alternatives the
    // automaton checks all of them in one pass over the sentence, about 30 times faster than the
    // backtracking engine on the seed article. The generator then caches a constructed instance.
    [GeneratedRegex("""
        \b(?:
        # Appeals for money or membership, addressed to the reader
          your\s+(?:continued\s+|ongoing\s+|generous\s+|financial\s+|monthly\s+|kind\s+)?(?:support|donations?|contributions?|gifts?|subscriptions?|membership|generosity)\b
        | support\s+(?:us|our\s+(?:journalism|work|reporting|newsroom|mission|journalists|reporters))\b
        | donate\s+(?:now|today|here|online|to\s+us)\b
        | make\s+a\s+(?:(?:one-off|one-time|single|monthly|recurring|small|regular)\s+)?(?:donation|contribution|gift)\s+(?:today|now|to\s+us)\b
        | become\s+an?\s+(?:member|subscriber|supporter|patron|insider)\b
        | (?:subscribe|subscription|membership|access)\s+(?:for|from)\s+(?:just\s+|only\s+)?[$£€]\s?\d
        | subscribe\s+(?:now|today|here)\b
        | subscribe\s+to\s+(?:our|the\s+\w+(?:\s+\w+)?)\s+(?:newsletter|podcast|channel|(?:print|digital)\s+edition)s?\b
        | cancel\s+(?:at\s+)?any\s*time\b
        | unlimited\s+(?:digital\s+)?access\b
        # Newsletters and e-mail sign-up
        | sign\s+up\s+(?:for|to)\s+(?:our|the\s+\w+(?:'s)?)\s+(?:[\w-]+\s+){0,3}?(?:newsletter|e-?mail|briefing|bulletin|digest|alerts?)s?\b
        | (?:delivered|straight|direct(?:ly)?|sent)\s+to\s+your\s+inbox\b
        | enter\s+your\s+e-?mail\b
        # Paywalls and log-in walls
        | to\s+(?:continue|keep)\s+reading\b
        | (?:already\s+an?|existing)\s+(?:subscriber|member)\b
        | (?:log|sign)\s+in\s+to\s+(?:continue|read|comment|keep\s+reading|access)\b
        | you(?:'ve|\s+have)\s+(?:read|reached|used)\s+(?:\d+|all|your)\b.{0,40}?\b(?:articles?|stories|limit)\b
        | free\s+(?:articles?|stories)\s+(?:left|remaining)\b
        | this\s+(?:article|story|content)\s+is\s+(?:only\s+)?(?:available\s+)?(?:for|to)\s+(?:subscribers|members|premium)\b
        | subscribers?[\s-]only\b
        # Comment sections
        | join\s+our\b
        | comment(?:ing)?\s+(?:forum|section|thread)s?\b
        | (?:view|show|hide|read|load|see)\s+(?:all\s+)?(?:\d+\s+)?comments\b
        | (?:leave|post|add|write)\s+a\s+comment\b
        | comments?\s+(?:are|is)\s+(?:now\s+)?(?:closed|open|disabled|moderated)\b
        | follow\s+(?:other|fellow)\s+(?:[\w-]+\s+){0,2}?readers\b
        | community\s+(?:guidelines|standards|rules)\b
        # Sharing, following, apps
        | share\s+(?:this|the)\s+(?:article|story|page|post|link|video)\b
        | (?:share|post|tweet)\s+(?:it\s+|this\s+)?(?:on|via|to)\s+(?:facebook|twitter|x|whatsapp|linkedin|reddit|bluesky|threads|e-?mail|messenger|pinterest)\b
        | follow\s+us\b
        | copy\s+(?:the\s+)?link\b
        | click\s+(?:here|the\s+link|below)\b
        | (?:download|get)\s+(?:our|the\s+\w+(?:\s+\w+)?)\s+app\b
        # Ad slots and "continues below" markers
        | (?:story|article)\s+continues\s+(?:below|after)\b
        | continue\s+reading\s+(?:below|the\s+main\s+story)\b
        # Copyright lines (the © mark itself is CopyrightMark)
        | copyright\s+(?:©\s*)?\d{4}\b
        | all\s+rights\s+reserved\b
        # Cookie notices
        | (?:we|this\s+(?:web)?site|our\s+(?:web)?site|this\s+page)\s+uses?\s+cookies\b
        | (?:accept|reject|manage)\s+(?:all\s+)?cookies\b
        | use\s+of\s+cookies\b
        | cookie\s+(?:policy|settings|preferences|notice)\b
        | by\s+(?:continuing|using|browsing)\b.{0,40}?\b(?:agree|consent|accept)\b
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex StrongCue();

    /// <summary>
    /// More strong cues, kept apart from <see cref="StrongCue"/> so that each automaton stays within
    /// the non-backtracking engine's size limit: sharing and more-like-this prompts, print
    /// subscription offers, affiliate disclosures, contact lines ("… may be reached at name@…"), notices that the
    /// page itself was updated or corrected, and syndication credits ("Originally published on Live
    /// Science.", "This article is republished from …").
    /// </summary>
    [GeneratedRegex("""
        \b(?:
          share\s+(?:it|this)\s+with\s+(?:a|your)\s+friends?\b
        | (?:want|like)\s+more\s+stories\s+like\s+this\b
        | delivered\s+(?:to|through)\s+your\s+(?:letterbox|letter\s+box|door|doorstep|home)\b
        | \d+\s+issues\s+for\s+(?:just\s+|only\s+)?[$£€]\s?\d
        | (?:contains?|may\s+contain|includes?)\s+affiliate\s+(?:and/or\s+\w+\s+)?links\b
        | \b(?:affiliate|disclosure)\s+(?:page|policy)\b
        | (?:may|can)\s+be\s+reached\s+(?:at|by|on)\s+\S+@\S+
        # Notices about the page itself ("This story has been updated to include …")
        | this\s+(?:story|article|post)\s+(?:was|has\s+been)\s+(?:updated|corrected|amended)\b
        # Syndication credits: where the page first ran. A short line that is nothing but the
        # credit, or one that says so of "this article"; a study "first published in Nature" is news.
        | this\s+(?:story|article|post|piece)\s+(?:(?:was|is|has\s+been)\s+)?(?:originally|first)\s+(?:published|posted|appeared)\b
        | this\s+(?:story|article|post|piece)\s+(?:is|was|has\s+been)\s+republished\b
        | ^\s*(?:originally|first)\s+(?:published|posted|appeared)\s+(?:on|in|by|at)\s+[^.!?,;]{1,50}[.!?]?\s*$
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex PromotionCue();

    /// <summary>Copyright marks: "©", "ⓒ", "(c) 2024".</summary>
    [GeneratedRegex(@"[©ⓒ]|\(c\)\s*\d{4}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CopyrightMark();

    /// <summary>
    /// Commands to the reader at the start of a sentence. News copy outside quotes does not give
    /// orders, so "Sign up …", "Donate …", "Share this …" open boilerplate, while "Share prices
    /// fell" or "Support for the plan waned" do not match.
    /// </summary>
    [GeneratedRegex("""
        ^(?:please\s+)?
        (?: donate\b(?!-)
          | subscribe\b
          | sign\s+(?:up|in)\b
          | log\s+in\b
          | register\s+(?:now|today|here|for\s+free)\b
          | join\s+(?:us\b|(?:[\w-]+\s+){0,2}?(?:conversations?|discussions?|debates?|forums?|community)\b)
          | follow\s+(?:us\b|@\w+|(?:\S+\s+){0,4}?on\s+(?:twitter|x|facebook|instagram|tiktok|linkedin|threads|bluesky|mastodon|youtube|whatsapp|telegram|google\s+news)\b)
          | share\s+(?:this|on|via|to)\b
          | support\s+(?:us|our|independent|quality|local|trusted|investigative|public[\s-]interest|fearless|non-?profit)\b
          | read\s+(?:more|next|also)\b
          | (?:also\s+read|see\s+also)\b
          | related(?:\s+(?:articles?|stories|content|coverage|reading|links|topics|news|posts))?\s*(?:[:|›>»\-–—]|$)
          | more\s+(?:on\s+this\s+story|stories|like\s+this)\b
          | most\s+(?:popular|read|viewed|shared|commented)\b
          | (?:recommended|trending|top\s+stories|editor'?s\s+picks)(?:\s+(?:for\s+you|now|stories))?\s*(?:[:|›>»\-–—]|$)
          | you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)\b
          | click\s+(?:here|to|on|the|this|below)\b
          | tap\s+(?:here|to)\b
          | advertisement\b
          | (?:advertising|sponsored(?:\s+content)?|promoted(?:\s+content)?)\s*$
          | paid\s+(?:content|post|partnership)\b
          | get\s+(?:unlimited|full|digital|premium|\d+%\s+off|the\s+best\s+of)\b
          | don'?t\s+miss\b
          | listen\s+to\s+(?:this|the)\s+(?:article|story)\b
          | (?:watch|listen)\s*:
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex ImperativeCue();

    /// <summary>Unquoted "we", "our", "us": the publisher speaking. Case-sensitive so that "US" (the country) is not "us".</summary>
    [GeneratedRegex(@"\b(?:[Ww]e|[Oo]urs?|us|[Ww]e've|[Ww]e're|[Ww]e'll|[Ww]e'd)\b", RegexOptions.CultureInvariant)]
    private static partial Regex FirstPersonPlural();

    /// <summary>Unquoted "you", "your": the reader addressed.</summary>
    [GeneratedRegex(@"\b(?:you|your|yours|you're|you've|you'll)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecondPerson();

    /// <summary>What a publisher talks about when it talks about itself; counts only next to a self-reference.</summary>
    [GeneratedRegex(@"\b(?:journalism|journalists?|reporters?|reporting|newsroom|coverage|stor(?:y|ies)|news|readers?|documentar(?:y|ies)|podcasts?|analysis|articles?|subscribers?|facts|editorial|independence)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex JournalismVocabulary();

    /// <summary>Publisher mission and business-model phrases.</summary>
    [GeneratedRegex("""
          \b(?:quality|independent|trusted|public[\s-]interest|investigative|fearless|award-winning|impartial|fact-based)\s+(?:journalism|news|reporting)\b
        | \btrusted\s+by\b
        | \bpaid\s+for\s+by\s+(?:those|readers|people)\b
        | \bthose\s+who\s+can\s+afford\b
        | \bavailable\s+to\s+(?:everyone|all)\b
        | \bfree\s+(?:for|to)\s+(?:everyone|all|read)\b
        | \bpaywalls?\b
        | \b(?:reporters|journalists)\s+on\s+the\s+ground\b
        | \bmake\s+a\s+(?:[\w-]+\s+)?(?:donation|contribution)\b
        | \bprivacy\s+(?:policy|notice)\b
        | \bterms\s+(?:of\s+(?:use|service)|and\s+conditions)\b
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex MissionCue();

    [GeneratedRegex(@"\bnewsletters?\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NewsletterCue();

    [GeneratedRegex(@"\b(?:sign(?:ing)?\s+up|subscrib(?:e|ing)|inbox|e-?mail\s+address)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex SignUpCue();

    /// <summary>Whole-line interface labels: buttons, section tabs, ad slots, cookie banner buttons.</summary>
    [GeneratedRegex("""
        ^(?: comments? | \d+\s+comments? | (?:view|show|hide|read|load|see)\s+(?:all\s+)?comments | no\s+comments(?:\s+yet)?
           | share(?:\s+this(?:\s+(?:article|story|page))?)? | share\s+on\s+\w+ | tweet | e-?mail | print | copy\s+link | link\s+copied
           | facebook | twitter | x | whatsapp | linkedin | reddit | pinterest | flipboard | messenger | bluesky
           | advertisement | advert | ads? | sponsored(?:\s+content)? | promoted(?:\s+content)? | paid\s+content | partner\s+content
           | newsletters? | sign\s+up | sign\s+in | log\s+in | log\s+out | register | subscribe(?:\s+now)? | donate(?:\s+now)?
           | support\s+us | contribute | become\s+a\s+member | my\s+account
           | read\s+more | read\s+next | more | related(?:\s+\w+)? | more\s+(?:on|from|in|about)\s+.{1,30} | more\s+stories
           | most\s+(?:popular|read|viewed|shared) | recommended(?:\s+for\s+you)? | trending(?:\s+now)? | top\s+stories
           | latest(?:\s+news)? | you\s+may\s+also\s+like | editor'?s\s+picks | topics | tags | see\s+also
           | follow(?:\s+us)? | close | menu | search | skip\s+to\s+(?:main\s+)?content | back\s+to\s+top | next | previous
           | load\s+more | show\s+more | continue\s+reading | listen(?:\s+to\s+this\s+article)? | watch | play | video
           | image | photo | photograph | gallery | loading
           | accept(?:\s+all)? | reject(?:\s+all)? | manage\s+(?:cookies|preferences|settings) | cookie\s+settings
           | got\s+it | ok | okay | dismiss
        )\s*[:›>»|…]*$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex UiLabel();

    /// <summary>Photo credit lines such as "(AP Photo/Eduardo Verdugo)" or "Photograph: Getty Images".</summary>
    [GeneratedRegex("""
          ^(?:photo(?:graph)?|image|picture|illustration|video)\s*(?:credit)?\s*:
        | ^\(?(?:ap|afp|reuters|getty|pa|epa|shutterstock|alamy)(?:\s+(?:photo|images|media|wire))?(?:\s*/\s*[\p{L} .'-]+)?\)?$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex CreditLine();

    /// <summary>Labels that head a list of links to other stories or to advertisers' offers.</summary>
    [GeneratedRegex("""
        ^(?: read\s+more | related(?:\s+\w+)? | more\s+(?:on|from|in|about)\b.* | more\s+(?:stories|like\s+this)
           | most\s+(?:popular|read|viewed|shared) | recommended(?:\s+\w+){0,2} | trending(?:\s+now)? | top\s+stories
           | you\s+may\s+also\s+like | editor'?s\s+picks | see\s+also | latest(?:\s+news)?
           | sponsored(?:\s+(?:links|content|stories|offers|by\s+.{1,30}))? | promoted(?:\s+(?:links|stories|content))?
           | partner\s+(?:offers|content|links) | (?:more\s+)?from\s+our\s+partners | paid\s+(?:content|links) | around\s+the\s+web
        )\s*[:›>»|]*$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex RelatedListLabel();
}
