using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// Reads <c>--file</c>: one question per line, streamed, so answers start before a long file is read,
/// memory stays bounded, and nothing more is read once the reader of the answers has gone. A final
/// newline ends the last question rather than starting an empty one; a blank line in the middle is an
/// (empty) question, so the answers stay one per line of input. A line longer than
/// <see cref="MaxLineLength"/> is not a question (it is <c>/dev/zero</c>, or a binary file): it stops
/// the run with exit 3.
/// </summary>
internal static class QuestionFile
{
    /// <summary>
    /// Longest question line: five times the longest Discord message, far beyond any question (only the
    /// first 1,000 characters are searched), yet small enough that an endless line costs no memory.
    /// </summary>
    public const int MaxLineLength = 20_000;

    /// <summary>Opens <paramref name="path"/> (<c>-</c>: <paramref name="standardInput"/>) for <see cref="ReadLinesAsync"/>.</summary>
    /// <exception cref="CliInputException">The file is missing, a folder, or unreadable.</exception>
    public static TextReader Open(string path, TextReader standardInput)
    {
        if (path == "-")
        {
            return standardInput;
        }

        if (Directory.Exists(path))
        {
            throw new CliInputException($"cannot read questions file {path}: it is a folder, not a file");
        }

        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
            return new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
            throw new CliInputException($"cannot read questions file {path}: {why}", ex);
        }
    }

    /// <summary>The questions of <paramref name="reader"/>, in order, as they are read.</summary>
    /// <exception cref="CliInputException">A line is longer than <see cref="MaxLineLength"/>, or reading failed.</exception>
    public static async IAsyncEnumerable<string> ReadLinesAsync(TextReader reader, string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        var number = 1;
        var first = true;
        while (true)
        {
            int read;
            try
            {
                read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliInputException($"cannot read questions file {path}: {ex.Message}", ex);
            }

            if (read == 0)
            {
                break;
            }

            var start = 0;
            if (first)
            {
                first = false;
                if (buffer[0] == '\uFEFF')
                {
                    start = 1;
                }
            }

            for (var i = start; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    yield return EndLine(line);
                    number++;
                    continue;
                }

                if (line.Length >= MaxLineLength)
                {
                    throw new CliInputException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"line {number} of questions file {path} is longer than {MaxLineLength:N0} characters; a question is one line of text"));
                }

                line.Append(buffer[i]);
            }
        }

        if (line.Length > 0)
        {
            yield return EndLine(line);
        }
    }

    private static string EndLine(StringBuilder line)
    {
        var text = line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
        line.Clear();
        return text;
    }
}
