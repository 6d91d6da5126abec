using CaravanBot.Retrieval.Articles;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Turns an article file or text into numbered paragraphs. The command line reads articles only
/// through this, so its tests can run before, and apart from, the real ingestion.
/// </summary>
public interface IArticleReader
{
    /// <summary>Reads an article file (plain text or a saved web page).</summary>
    Article ReadFile(string path);

    /// <summary>Reads plain-text article content.</summary>
    Article ReadText(string text, string source);

    /// <summary>Reads a saved web page.</summary>
    Article ReadHtml(string html, string source);
}
