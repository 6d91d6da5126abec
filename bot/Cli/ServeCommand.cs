using System.CommandLine;
using CaravanBot.Bot.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CaravanBot.Bot.Cli;

/// <summary>
/// <c>caravanbot serve [--article PATH] [--urls URLS]</c>: Discord's HTTP interactions endpoint (<c>POST /interactions</c>)
/// under ASP.NET Core (Kestrel), listening where <c>--urls</c> or <c>ASPNETCORE_URLS</c> says, until Ctrl+C or SIGTERM.
/// Needs <c>Discord:PublicKey</c> to check Discord's signatures and <c>Discord:Token</c> for the REST calls that
/// answer. Stateless apart from the answer log, so replicas can run behind any load balancer.
/// Exit codes as <c>run</c>: 0 stopped on request, 1 unexpected failure, 2 configuration missing or invalid, 3 article unavailable.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliEnvironment environment, Action<IServiceCollection>? configureServices, Option<bool> verbose)
    {
        var article = CliOptions.Article(standardInput: false);
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen, e.g. http://0.0.0.0:8080 (default: ASPNETCORE_URLS, else http://localhost:5000)",
            HelpName = "URLS",
        };
        var command = new Command("serve", "Serve Discord's HTTP interactions endpoint, POST /interactions: /ask, buttons and forms answered like run does (public key from Discord__PublicKey, token from DISCORD_TOKEN)")
        {
            article,
            urls,
        };
        command.SetAction((parseResult, cancellationToken) => ServeAsync(
            environment,
            configureServices,
            parseResult.GetValue(article),
            parseResult.GetValue(urls),
            parseResult.GetValue(verbose),
            cancellationToken));
        return command;
    }

    private static async Task<int> ServeAsync(
        CliEnvironment environment, Action<IServiceCollection>? configureServices, string? articlePath, string? urls, bool verbose, CancellationToken cancellationToken)
    {
        if (articlePath == "-")
        {
            throw new CliUsageException("serve reads the article from a file, not standard input (see caravanbot serve --help)");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "caravanbot" });
        RunCommand.ConfigureHost(builder, environment, verbose);
        if (!string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(urls);
        }

        builder.Services.AddCaravanBotInteractions(options => options.ArticlePath = Path.GetFullPath(articlePath ?? environment.DefaultArticlePath));
        builder.Services.AddAnswerLog(builder.Configuration);
        configureServices?.Invoke(builder.Services);

        await using var app = builder.Build();
        RunCommand.ValidateConfiguration(app.Services, serving: true);
        app.MapInteractions();
        var outcome = app.Services.GetRequiredService<BotRunOutcome>();
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
        return RunCommand.ExitCode(outcome);
    }
}
