using System.Text;
using CaravanBot.Bot.Cli;

// Answers carry "López" and curly quotes; the terminal and pipes get UTF-8 without a byte-order mark.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
Console.InputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the command cleanly; a second one ends the process at once.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await Cli.RunAsync(args, CliEnvironment.FromConsole(), cancellationToken: cancellation.Token);
