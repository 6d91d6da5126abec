namespace CaravanBot.Bot.Tests.Deployment;

/// <summary>
/// Settings of the deployments that cannot work stop <c>caravanbot run</c> and <c>serve</c> before anything starts:
/// exit 2 and one line naming the setting, as every other configuration mistake does.
/// </summary>
public sealed class DeploymentSettingsTests
{
    public static TheoryData<string, string, string, string> Mistakes() => new()
    {
        { "serve", "Discord__PublicKey", string.Empty, "Discord:PublicKey is missing" },
        { "serve", "Discord__PublicKey", "not-a-key", "Discord:PublicKey must be the application's public key" },
        { "serve", "Interactions__MaxBodyBytes", "10", "Interactions:MaxBodyBytes" },
        { "run", "Discord__ShardIds", "2", "names shard 2, but Discord:ShardCount is 2" },
        { "run", "Discord__ShardCount", "zero", "Discord:ShardCount" },
        { "run", "Operations__Urls", "ftp://127.0.0.1:21", "Operations:Urls" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_setting_that_cannot_work_stops_start_up_with_exit_2_naming_it(string command, string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DISCORD_TOKEN"] = "MTA5.fake-bot-token.for-tests_Zq9",
            ["Discord__ShardCount"] = "2",
            ["Discord__PublicKey"] = "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29",
            ["Operations__Urls"] = "http://127.0.0.1:0",
            [variable] = value,
        };
        await using var process = BotProcess.Start(environment, command);

        var exitCode = await process.ExitCodeAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, process.Stderr, StringComparison.Ordinal);
        Assert.Single(process.Stderr.Trim().Split('\n'));
    }
}
