namespace CaravanBot.Bot.Cli;

/// <summary>
/// Reads <c>--file</c>: one question per line. A final newline ends the last question rather
/// than starting an empty one; a blank line in the middle is an (empty) question, so the
/// answers stay one per line of input.
/// </summary>
internal static class QuestionFile
{
    /// <exception cref="CliInputException">The file is missing or unreadable.</exception>
    public static async Task<IReadOnlyList<string>> ReadAsync(string path, TextReader standardInput, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return SplitLines(await standardInput.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
        }

        try
        {
            return SplitLines(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
            throw new CliInputException($"cannot read questions file {path}: {why}", ex);
        }
    }

    /// <summary>The questions in <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<string> SplitLines(string text)
    {
        text = text.TrimStart('\uFEFF');
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (text.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}
