using System.Text.RegularExpressions;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>
/// Lines that belong to the page around a story rather than to the story: bylines, date lines,
/// photo credits, share bars, gallery counters and photo captions. The same cues serve saved
/// pages and text copied from them. Every cue is a general pattern of news pages, never a phrase
/// from one publisher, and none fires on a sentence: furniture lines are short and carry no
/// sentence of their own.
/// </summary>
internal static partial class PageFurniture
{
    /// <summary>Furniture lines are at most this many words; longer lines are story whatever they start with.</summary>
    private const int MaxFurnitureWords = 16;

    /// <summary>A line stamped "Published …" or "Updated …" with a date is furniture up to this length.</summary>
    private const int MaxStampedWords = 14;

    /// <summary>Reporting credits name a whole team, so they run longer than other furniture lines.</summary>
    private const int MaxCreditWords = 45;

    /// <summary>The rule that makes <paramref name="line"/> page furniture, or null when it may be story.</summary>
    public static string? Classify(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = BoilerplateFilter.WordCount(line);
        if (words == 0)
        {
            return null;
        }

        if (!line.Any(char.IsLetterOrDigit))
        {
            return "separator";
        }

        if (words <= MaxCreditWords && ReportingCredit().IsMatch(line))
        {
            return "reporting credit";
        }

        if (words > MaxFurnitureWords)
        {
            return null;
        }

        if (ReadingTime().IsMatch(line))
        {
            return "reading time";
        }

        if (FieldLabel().IsMatch(line))
        {
            return "field label";
        }

        if (IsShareBar(line))
        {
            return "share bar";
        }

        if (GalleryLabel().IsMatch(line))
        {
            return "gallery label";
        }

        if (IsPhotoCredit(line))
        {
            return "photo credit";
        }

        if (IsDateLine(line))
        {
            return "date line";
        }

        if (IsByline(line))
        {
            return "byline";
        }

        return null;
    }

    /// <summary>
    /// A byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Words by …", "By Justine
    /// Coleman - 11/18/19 11:04 PM EST", or a name with a staff title ("Tom Krisher, AP Auto Writer").
    /// </summary>
    public static bool IsByline(string line)
    {
        if (BoilerplateFilter.EndsLikeSentence(line) && BoilerplateFilter.WordCount(line) > 6)
        {
            return false;
        }

        if (StaffTitle().IsMatch(line) || LoneBy().IsMatch(line) || PostedOnBy().IsMatch(line) || NameWithHandle().IsMatch(line))
        {
            return true;
        }

        // After the names only a separator may follow ("- 11/18/19", "| Reuters"): "By Monday, the
        // caravan had …" is a sentence, not a byline.
        var lead = BylineLead().Match(line);
        if (!lead.Success || BoilerplateFilter.WordCount(line) > 12)
        {
            return false;
        }

        var rest = line.AsSpan(lead.Length).TrimStart();
        return rest.IsEmpty || rest[0] is ',' or '|' or '-' or '–' or '—' or '/' or '•' or '·' or '(';
    }

    /// <summary>
    /// A line that is a date and little else: "Updated 1:39 am EST, Wednesday, November 20, 2019",
    /// "First Published: Tuesday, November 19, 2019 08:38 AM", "September 15, 2014",
    /// "22 de outubro de 2010 às 20:13". It needs a year or a clock time and a month, weekday,
    /// numeric date or clock time, and at most three words that are none of these.
    /// </summary>
    public static bool IsDateLine(string line)
    {
        if (BoilerplateFilter.EndsLikeSentence(line) && !line.TrimEnd().EndsWith(".", StringComparison.Ordinal))
        {
            return false;
        }

        // "Published Wed, Nov 20 20194:29 AM ESTUpdated an hour ago", "New Delhi, Bureau | Updated : 19 November 2019, 09:01 AM"
        if (StampedLine().IsMatch(line) && (MonthOrWeekday().IsMatch(line) || NumericDate().IsMatch(line)) &&
            BoilerplateFilter.WordCount(line) <= MaxStampedWords)
        {
            return true;
        }

        var hasYearOrTime = Year().IsMatch(line) || ClockTime().IsMatch(line);
        var hasCalendar = MonthOrWeekday().IsMatch(line) || NumericDate().IsMatch(line) || ClockTime().IsMatch(line);
        if (!hasYearOrTime || !hasCalendar)
        {
            return false;
        }

        var other = 0;
        foreach (Match token in Token().Matches(line))
        {
            if (!DateWord().IsMatch(token.Value))
            {
                other++;
            }
        }

        return other <= 3;
    }

    /// <summary>
    /// A share bar: only social network and sharing words, with or without spaces between them
    /// ("Facebook Twitter Email", "facebooktwitterflipboardwhatsapp", "Share this article: Copy link").
    /// </summary>
    public static bool IsShareBar(string line)
    {
        var rest = ShareWord().Replace(line.ToLowerInvariant(), string.Empty);
        return rest.Length < line.Length && rest.All(c => !char.IsLetterOrDigit(c)) && ShareWord().Count(line.ToLowerInvariant()) >= 2;
    }

    /// <summary>
    /// A photo credit on its own: "Photograph by Jane Doe", "Photo: AP", "(Image: GETTY)",
    /// "Image source, Getty Images", "Credit: Reuters", "Getty Images".
    /// </summary>
    public static bool IsPhotoCredit(string line) => CreditLine().IsMatch(line);

    /// <summary>
    /// A photo caption as copied from a page: a line that ends with the photo's credit
    /// ("… in Tijuana (Image: GETTY)", "…, Photograph: Reuters", "… (AP Photo/Eduardo Verdugo)")
    /// or starts with a caption label ("Image caption, …").
    /// </summary>
    public static bool IsCaption(string line) => CaptionCredit().IsMatch(line) || CaptionLabel().IsMatch(line);

    /// <summary>
    /// Splits a date glued to the end of a sentence ("…recovery?Monday, 6 January 2020") or to the
    /// start of one ("Monday, 6 January 2020The storm…"), as a careless copy leaves it. Returns the
    /// story part and the date, or null when there is no glued date.
    /// </summary>
    public static (string Story, string Date)? SplitGluedDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = GluedDateAtEnd().Match(text);
        if (end.Success && IsDateLine(end.Groups["date"].Value))
        {
            return (text[..end.Groups["date"].Index].TrimEnd(), end.Groups["date"].Value);
        }

        var start = GluedDateAtStart().Match(text);
        if (start.Success && IsDateLine(start.Groups["date"].Value))
        {
            return (text[start.Groups["story"].Index..], start.Groups["date"].Value.TrimEnd());
        }

        return null;
    }

    [GeneratedRegex(@"^\s*(?:(?:words|text|story|reporting|written|report|interview|photos?|video)\s+(?:and\s+\w+\s+)?)?by\s*:?\s+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*|\s+(?:and|&|de|da|del|van|von|der|le|la|bin|al)\b|,)*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BylineLead();

    /// <summary>A name followed by a newsroom title: "Tom Krisher, AP Auto Writer", "Jane Doe, Staff Reporter", "Jane Doe | Political Editor".</summary>
    [GeneratedRegex(@"^\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){1,3}\s*[,|–—-]\s*(?:[\p{L}&.]+\s+){0,3}(?:writer|reporter|correspondent|editor|columnist|contributor|staff|journalist|producer|critic)s?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StaffTitle();

    [GeneratedRegex(@"(?:^|[\s|,])(?:first\s+)?(?:published|updated|posted|last\s+updated|modified)\s*:?(?:\s|\d|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StampedLine();

    /// <summary>An author's name with their social handle: "Natasha Turak@NatashaTurak", "Jane Doe @janedoe".</summary>
    [GeneratedRegex(@"^\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){1,3}\s*@\w+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameWithHandle();

    [GeneratedRegex(@"^\s*by\s*:?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoneBy();

    /// <summary>"Posted on March 30, 2015 by Admin", in any language's month names.</summary>
    [GeneratedRegex(@"^(?:posted|published|written|updated)\s+(?:on\s+)?[^.!?]{0,40}\b(?:1[89]\d\d|20\d\d)\b(?:\s+by\s+[^.!?]{1,40})?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PostedOnBy();

    /// <summary>"(Reporting by …; editing by …)", "Additional reporting by …", "Jane Doe contributed reporting from Hong Kong."</summary>
    [GeneratedRegex(@"^\(?\s*(?:additional\s+)?(?:reporting|writing|editing|research|compiled)\s+by\b|\b(?:contributed|contributing)\s+(?:reporting|research|to\s+this\s+(?:report|story|article))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReportingCredit();

    /// <summary>"Reading time: 2 minutes", "Tempo de leitura: 1 minuto", "5 min read".</summary>
    [GeneratedRegex(@"^(?:(?:estimated\s+)?reading\s+time|read\s+time|tempo\s+de\s+leitura|tiempo\s+de\s+lectura|lesezeit|temps\s+de\s+lecture|tempo\s+di\s+lettura)\s*:?\s*\d+|^\d+\s*(?:-\s*)?min(?:ute)?s?\.?\s+read$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadingTime();

    /// <summary>A lone field name with a colon ("Photo:", "Фото:", "Source:"): the value it labelled was an image or a link.</summary>
    [GeneratedRegex(@"^\p{L}+\s*:$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldLabel();

    [GeneratedRegex(@"\b(?:1[89]\d\d|20\d\d)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Year();

    [GeneratedRegex(@"\b\d{1,2}[:.h]\d\d\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClockTime();

    [GeneratedRegex(@"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b\.?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthOrWeekday();

    [GeneratedRegex(@"[\p{L}\p{N}][\p{L}\p{N}'’.:/-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    /// <summary>Words a date line is made of: numbers, months, weekdays, clock words, time zones, "updated", "published", small connectors.</summary>
    [GeneratedRegex("""
        ^(?: [\d:./h-]+(?:st|nd|rd|th)?
           | (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?
           | (?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?
           | a\.?m\.? | p\.?m\.? | [ecmp][sd]t | gmt | utc | bst | cet | cest | ist | aest | jst | hrs | h
           | updated | update | published | posted | modified | created | first | last | edited | date | on | at | of
           | de | às | a | le | el | del | am | um | ago | hours? | minutes? | days? | today | yesterday
        )$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex DateWord();

    [GeneratedRegex(@"facebook|twitter|flipboard|whatsapp|linkedin|pinterest|reddit|messenger|telegram|tumblr|pocket|bluesky|threads|e-?mail|sms|print|copy\s*link|share(?:\s+(?:this|on|via))?(?:\s+(?:article|story|page))?|tweet|comments?|save|\bx\b", RegexOptions.CultureInvariant)]
    private static partial Regex ShareWord();

    [GeneratedRegex(@"^(?:(?:image|photo|picture|slide)s?\s+)?\d+\s+(?:(?:of|/)\s*/?\s*)?\d+$|^(?:(?:hide|show|toggle|expand|close)\s+)?caption$|^enlarge\s+this\s+image$|^(?:view|open|launch)\s+(?:the\s+)?(?:gallery|slideshow|photos)$|^this\s+slideshow\s+requires\s+javascript\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GalleryLabel();

    [GeneratedRegex("""
          ^\(?(?:photo(?:graph)?s?|images?|pictures?|illustrations?|video|graphic|credit|source|image\s+source|photo\s+credit)\s*(?:by\b|:|,)\s*[^.!?]{1,80}\)?$
        | ^[^.!?]{1,60}\s[|/]\s*(?:getty\s+images|afp|reuters|ap(?:\s+photo)?|shutterstock|alamy|bloomberg|epa|pa\s+images|istock)\s*$
        | ^\(?(?:ap|afp|reuters|getty(?:\s+images)?|pa(?:\s+media)?|epa(?:-efe)?|shutterstock|alamy|bloomberg|xinhua|anadolu|rex\s+features|nurphoto|sopa\s+images|dpa|istock(?:photo)?)(?:\s+(?:photo|images|media|wire|via\s+getty\s+images))?(?:\s*/\s*[\p{L} .'-]+)?\)?$
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex CreditLine();

    [GeneratedRegex(@"(?:\((?:image|photo|picture|credit|pic)s?\s*:[^()]{1,60}\)|\((?:AP|AFP|Reuters|Getty|PA|EPA)(?:\s+Photo)?\s*/[^()]{1,60}\)|[,.]?\s+Photo(?:graph)?\s*:\s*[^.]{1,60})\s*\.?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionCredit();

    [GeneratedRegex(@"^(?:image|photo|picture)\s+caption\s*[,:]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CaptionLabel();

    [GeneratedRegex(@"[.?!…”](?<date>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+[^.?!]{4,40}|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}[^.?!]{0,30}|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}[^.?!]{0,30})$", RegexOptions.CultureInvariant)]
    private static partial Regex GluedDateAtEnd();

    [GeneratedRegex(@"^(?<date>(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)|(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},?)\s+\d{4})(?<story>\p{Lu}\p{Ll})", RegexOptions.CultureInvariant)]
    private static partial Regex GluedDateAtStart();
}
