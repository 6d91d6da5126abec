using CaravanBot.Bot.Cli;
using CaravanBot.Bot.Discord;
using CaravanBot.FakeDiscord;
using CaravanBot.Retrieval.Embeddings;
using Microsoft.Extensions.DependencyInjection;
using CaravanBotCli = CaravanBot.Bot.Cli.Cli;

namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>
/// Scenario 4: Discord refuses the bot for good. <c>caravanbot run</c>, in-process, with the token in
/// <c>DISCORD_TOKEN</c> and the REST address pointed at the fake (the gateway address then comes from
/// <c>GET /gateway/bot</c>): the run ends by itself with exit code 4 and a one-line message naming the cause and the fix.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class FatalCloseTests
{
    private readonly SharedModel _model;

    public FatalCloseTests(SharedModel model)
    {
        _model = model;
    }

    [Theory]
    [InlineData(4004, new[] { "4004", "authentication failed", "token", "DISCORD_TOKEN" })]
    [InlineData(4014, new[] { "4014", "MESSAGE_CONTENT", "developer portal" })]
    public async Task A_fatal_close_code_stops_the_run_with_exit_4_and_one_line_naming_the_cause(int closeCode, string[] cause)
    {
        await using var rest = await FakeRestServer.StartAsync();
        await using var gateway = await FakeGatewayServer.StartAsync();
        rest.GatewayUrl = gateway.GatewayUrl;
        gateway.Intercept = async (connection, payload) =>
        {
            if (payload.Op != 2)
            {
                return false;
            }

            await connection.CloseAsync(closeCode, closeCode == 4004 ? "Authentication failed." : "Disallowed intent(s).");
            return true;
        };

        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new CliEnvironment
        {
            In = new StringReader(string.Empty),
            Out = new StringWriter(),
            Error = stderr,
            BaseDirectory = AppContext.BaseDirectory,
            GetEnvironmentVariable = name => name == "DISCORD_TOKEN" ? rest.BotToken : null,
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exitCode = await CaravanBotCli.RunAsync(["run"], environment, services =>
        {
            // caravanbot run reads Discord__ApiBaseUrl from the process environment, which tests must not change
            // (other tests run in the same process), so the address goes in through the run's services hook.
            // Everything else is production's: the gateway address from GET /gateway/bot, Discord's timings.
            services.PostConfigure<DiscordOptions>(options => options.ApiBaseUrl = rest.ApiBaseUrl);
            services.AddSingleton<ISentenceEmbedder>(_model.Embedder);
        }, cancel.Token);

        var output = stderr.ToString();
        Assert.True(ExitCodes.GatewayRefused == exitCode, $"exit code {exitCode}; stderr:\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, l => cause.All(part => l.Contains(part, StringComparison.OrdinalIgnoreCase)));
        Assert.StartsWith("caravanbot: critical: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(rest.BotToken, output, StringComparison.Ordinal);

        // Refused for good: one IDENTIFY, no reconnection, and nothing posted anywhere.
        Assert.Single(gateway.UpgradeAttempts);
        Assert.Single(gateway.Received, p => p.Op == 2);
        var close = await gateway.Connections[0].Closed;
        Assert.Equal(closeCode, close.ClientCloseCode);
        var request = Assert.Single(rest.Requests);
        Assert.True(request.Is("GET", "/gateway/bot"), request.ToString());
        DiscordSchema.AssertValid(request);
    }
}
