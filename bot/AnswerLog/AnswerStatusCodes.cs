namespace CaravanBot.Bot.AnswerLog;

/// <summary>
/// The lower-case codes statuses are stored and printed as ("new", "approved", "flagged",
/// "retracted", "corrected"), so the database and the command line read the same and renaming an
/// enum member never rewrites stored history.
/// </summary>
public static class AnswerStatusCodes
{
    /// <summary>Every status in declaration order, with its code.</summary>
    public static IReadOnlyList<(AnswerStatus Status, string Code)> All { get; } =
    [
        (AnswerStatus.New, "new"),
        (AnswerStatus.Approved, "approved"),
        (AnswerStatus.Flagged, "flagged"),
        (AnswerStatus.Retracted, "retracted"),
        (AnswerStatus.Corrected, "corrected"),
    ];

    /// <summary>The stored code of <paramref name="status"/>.</summary>
    public static string ToCode(this AnswerStatus status) => status switch
    {
        AnswerStatus.New => "new",
        AnswerStatus.Approved => "approved",
        AnswerStatus.Flagged => "flagged",
        AnswerStatus.Retracted => "retracted",
        AnswerStatus.Corrected => "corrected",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown answer status"),
    };

    /// <summary>Reads a stored code; false for anything else.</summary>
    public static bool TryParse(string? code, out AnswerStatus status)
    {
        foreach (var (candidate, candidateCode) in All)
        {
            if (string.Equals(code, candidateCode, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Reads a stored code.</summary>
    /// <exception cref="FormatException">The code is not one of the five.</exception>
    public static AnswerStatus Parse(string code) =>
        TryParse(code, out var status) ? status : throw new FormatException($"'{code}' is not an answer status");
}
