using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace CaravanBot.Bot.Cli;

/// <summary>What every command's action needs to start an invocation: the environment, the service overrides, the global options.</summary>
internal sealed class CliRuntime
{
    private readonly CliEnvironment _environment;
    private readonly Action<IServiceCollection>? _configureServices;

    public CliRuntime(CliEnvironment environment, Action<IServiceCollection>? configureServices, Option<bool> verbose)
    {
        _environment = environment;
        _configureServices = configureServices;
        Verbose = verbose;
    }

    public Option<bool> Verbose { get; }

    /// <summary>Runs a command body with a fresh invocation and disposes its services afterwards (the embedding model included).</summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<CliInvocation, Task<int>> body)
    {
        await using var invocation = new CliInvocation(_environment, parseResult.GetValue(Verbose), _configureServices);
        return await body(invocation).ConfigureAwait(false);
    }
}
