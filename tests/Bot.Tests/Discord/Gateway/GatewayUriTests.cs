using CaravanBot.Bot.Discord.Gateway;

namespace CaravanBot.Bot.Tests.Discord.Gateway;

public sealed class GatewayUriTests
{
    [Theory]
    [InlineData("wss://gateway.discord.gg", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway-us-east1-b.discord.gg/", "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")]
    [InlineData("wss://gateway.discord.gg/?v=9&encoding=etf&compress=zlib-stream", "wss://gateway.discord.gg/?v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/gateway?region=test", "ws://127.0.0.1:5000/gateway?region=test&v=10&encoding=json")]
    [InlineData("ws://127.0.0.1:5000/gateway?region=test&V=8", "ws://127.0.0.1:5000/gateway?region=test&v=10&encoding=json")]
    public void Version_and_encoding_are_set_and_other_parameters_kept(string address, string expected)
    {
        Assert.Equal(expected, GatewayUri.Build(address).AbsoluteUri);
    }

    [Theory]
    [InlineData("https://gateway.discord.gg")]
    [InlineData("gateway.discord.gg")]
    [InlineData("")]
    public void Addresses_that_are_not_websocket_urls_are_refused(string address)
    {
        Assert.Throws<FormatException>(() => GatewayUri.Build(address));
    }
}
