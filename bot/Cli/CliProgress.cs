namespace CaravanBot.Bot.Cli;

/// <summary>
/// Progress lines ("Loading the embedding model…") on standard error, shown only to a person
/// watching a terminal or when <c>--verbose</c> is given, so pipes and logs stay quiet.
/// </summary>
internal sealed class CliProgress
{
    private readonly TextWriter _error;

    public CliProgress(TextWriter error, bool enabled)
    {
        _error = error;
        IsEnabled = enabled;
    }

    public bool IsEnabled { get; }

    public void Report(string message)
    {
        if (IsEnabled)
        {
            _error.WriteLine(message);
            _error.Flush();
        }
    }
}
