using System.Text;

namespace CaravanBot.Retrieval.Ingestion;

/// <summary>Tells text from binary data, and UTF-16 without a byte-order mark from 8-bit text.</summary>
internal static class TextSniffer
{
    /// <summary>Bytes examined to guess an encoding; enough for any page's opening.</summary>
    private const int SampleBytes = 8192;

    /// <summary>
    /// In UTF-16 text of any Latin-script language, most high bytes are zero (ASCII letters,
    /// spaces, punctuation): at least this share of one byte column is zero, and almost none of
    /// the other. 8-bit text has no zero bytes at all.
    /// </summary>
    private const double MinZeroColumnShare = 0.25;

    private const double MaxOtherColumnShare = 0.02;

    /// <summary>
    /// Text never holds control characters other than tab, line breaks and form feed; a program,
    /// an image or an archive decoded as text is full of them, and of NULs above all.
    /// </summary>
    private const double MaxControlShare = 0.05;

    private const double MaxNulShare = 0.01;

    /// <summary>One control character is a copy-paste accident; from this many on, the share decides.</summary>
    private const int MinStrayCharacters = 2;

    /// <summary>UTF-16LE or UTF-16BE (strict) when the byte pattern says so and no byte-order mark is present; otherwise null.</summary>
    public static Encoding? DetectUnicodeWithoutMark(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length < 4 || HasByteOrderMark(bytes))
        {
            return null;
        }

        var pairs = Math.Min(bytes.Length, SampleBytes) / 2;
        int zeroEven = 0, zeroOdd = 0;
        for (var i = 0; i < pairs; i++)
        {
            if (bytes[2 * i] == 0)
            {
                zeroEven++;
            }

            if (bytes[(2 * i) + 1] == 0)
            {
                zeroOdd++;
            }
        }

        if (zeroOdd >= pairs * MinZeroColumnShare && zeroEven <= pairs * MaxOtherColumnShare)
        {
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
        }

        if (zeroEven >= pairs * MinZeroColumnShare && zeroOdd <= pairs * MaxOtherColumnShare)
        {
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
        }

        return null;
    }

    /// <summary>
    /// True when decoded text holds NUL characters or more than a trace of other control
    /// characters. A stray one or two, as copy-paste leaves them, are tolerated (they are cleaned
    /// out of paragraphs anyway).
    /// </summary>
    public static bool LooksBinary(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return false;
        }

        int nul = 0, control = 0;
        foreach (var c in text)
        {
            if (c == '\0')
            {
                nul++;
            }
            else if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f' or '\u0085'))
            {
                control++;
            }
        }

        return (nul >= MinStrayCharacters && nul >= text.Length * MaxNulShare) ||
            (control >= MinStrayCharacters && control > text.Length * MaxControlShare);
    }

    private static bool HasByteOrderMark(byte[] bytes) =>
        (bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ||
        (bytes[0] == 0xFF && bytes[1] == 0xFE) ||
        (bytes[0] == 0xFE && bytes[1] == 0xFF);
}
