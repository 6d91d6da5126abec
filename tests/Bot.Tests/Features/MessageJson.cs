using System.Text.Json;
using System.Text.RegularExpressions;
using CaravanBot.Bot.Features;

namespace CaravanBot.Bot.Tests.Features;

/// <summary>Reads sent message bodies the way a reader would see them.</summary>
internal static partial class MessageJson
{
    public static JsonElement Embed(this JsonElement message) => Assert.Single(message.GetProperty("embeds").EnumerateArray().ToArray());

    public static string? Title(this JsonElement embed) => embed.TryGetProperty("title", out var title) ? title.GetString() : null;

    public static string Description(this JsonElement embed) => embed.GetProperty("description").GetString()!;

    public static string? Footer(this JsonElement embed) => embed.TryGetProperty("footer", out var footer) ? footer.GetProperty("text").GetString() : null;

    public static string? Content(this JsonElement message) => message.TryGetProperty("content", out var content) ? content.GetString() : null;

    public static int? Flags(this JsonElement message) => message.TryGetProperty("flags", out var flags) ? flags.GetInt32() : null;

    public static JsonElement[] Buttons(this JsonElement message) =>
        message.TryGetProperty("components", out var rows)
            ? rows.EnumerateArray().SelectMany(r => r.GetProperty("components").EnumerateArray()).ToArray()
            : [];

    public static string[] CustomIds(this JsonElement message) => message.Buttons().Select(b => b.GetProperty("custom_id").GetString()!).ToArray();

    /// <summary>Characters Discord counts toward the 6000 embed limit.</summary>
    public static int EmbedLength(this JsonElement embed) =>
        (embed.Title()?.Length ?? 0) + (embed.TryGetProperty("description", out var d) ? d.GetString()!.Length : 0) + (embed.Footer()?.Length ?? 0)
        + (embed.TryGetProperty("fields", out var fields) ? fields.EnumerateArray().Sum(f => f.GetProperty("name").GetString()!.Length + f.GetProperty("value").GetString()!.Length) : 0);

    /// <summary>Every string value anywhere in the body, decoded.</summary>
    public static IEnumerable<string> Strings(this JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => p.Value.Strings()),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>Asserts <c>allowed_mentions</c> is <c>{"parse": [], "replied_user": false}</c>.</summary>
    public static void AssertPingsNobody(this JsonElement message)
    {
        var allowed = message.GetProperty("allowed_mentions");
        Assert.Empty(allowed.GetProperty("parse").EnumerateArray());
        Assert.False(allowed.GetProperty("replied_user").GetBoolean());
        Assert.False(allowed.TryGetProperty("users", out _));
        Assert.False(allowed.TryGetProperty("roles", out _));
    }

    /// <summary>
    /// The quotes of an answer's description: each "> " line's text, less the “ ” the bot puts around
    /// a quote that has no quotation marks of its own at either end.
    /// </summary>
    public static string[] Quotes(string description) =>
        QuoteLine().Matches(description).Select(m => WithoutOurMarks(m.Groups[1].Value)).ToArray();

    /// <summary>The ¶ numbers under the quotes.</summary>
    public static int[] Attributions(string description) =>
        Attribution().Matches(description).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>What Discord shows for escaped text: backslash escapes removed, and the zero-width space after @ dropped.</summary>
    public static string Unescape(string text) => Escape().Replace(text, "$1").Replace("@\u200B", "@", StringComparison.Ordinal);

    private static string WithoutOurMarks(string shown) =>
        shown.Length >= 2 && shown.StartsWith(QuoteMarks.Open, StringComparison.Ordinal) && shown.EndsWith(QuoteMarks.Close, StringComparison.Ordinal)
            && QuoteMarks.For(shown[1..^1]).Open.Length > 0
            ? shown[1..^1]
            : shown;

    [GeneratedRegex(@"^> (.*)$", RegexOptions.Multiline)]
    private static partial Regex QuoteLine();

    [GeneratedRegex(@"^— ¶(\d+)$", RegexOptions.Multiline)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"\\([\\*_~`|>#\-\[\]()])")]
    private static partial Regex Escape();
}
