using System.Security.Cryptography;
using System.Text;

namespace CaravanBot.Retrieval.Articles;

/// <summary>
/// Which article an answer or a correction is about: a hash of the paragraphs as numbered (so the same
/// ¶ numbers mean the same text) and the headline, for people. Two articles with the same hash have
/// the same paragraphs in the same order; anything else, even the same story read by another version
/// of the ingestion, is another article.
/// </summary>
/// <param name="ContentHash"><c>sha256:</c> and 64 lower-case hex digits.</param>
/// <param name="Title">The headline when it was recorded.</param>
public sealed record ArticleIdentity(string ContentHash, string Title)
{
    /// <summary>The prefix of <see cref="ContentHash"/>.</summary>
    public const string HashPrefix = "sha256:";

    /// <summary>The identity of <paramref name="article"/>.</summary>
    public static ArticleIdentity Of(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var paragraph in article.Paragraphs)
        {
            // Number and length first, so paragraph boundaries are part of what is hashed.
            hash.AppendData(Encoding.UTF8.GetBytes($"{paragraph.Number}:{paragraph.Text.Length}:"));
            hash.AppendData(Encoding.UTF8.GetBytes(paragraph.Text));
            hash.AppendData("\n"u8);
        }

        return new ArticleIdentity(HashPrefix + Convert.ToHexStringLower(hash.GetHashAndReset()), article.Headline);
    }

    /// <summary>True when both name the same paragraphs (the title is for people and is not compared).</summary>
    public bool SameArticleAs(ArticleIdentity? other) =>
        other is not null && string.Equals(ContentHash, other.ContentHash, StringComparison.Ordinal);

    /// <summary>The headline and the start of the hash, for messages: “Title” (sha256:1a2b3c4d…).</summary>
    public string Describe() => $"“{VisibleText.Plain(Title)}” ({ContentHash[..Math.Min(ContentHash.Length, HashPrefix.Length + 12)]}…)";
}
