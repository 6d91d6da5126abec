namespace CaravanBot.Bot.Tests.EndToEnd;

/// <summary>Scenario 8: stopping the host (Ctrl+C, SIGTERM) closes the gateway cleanly with 1000.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ShutdownTests
{
    private readonly SharedModel _model;

    public ShutdownTests(SharedModel model)
    {
        _model = model;
    }

    [Fact]
    public async Task Stopping_the_host_closes_the_gateway_with_1000_and_ends_the_run()
    {
        await using var e2e = await EndToEndBot.StartAsync(_model);
        var question = await e2e.MentionAsync("what does Mexico want?");
        await e2e.WaitForReplyAsync(question);
        var service = e2e.Service;

        await e2e.Bot.StopAsync();

        var close = await e2e.Gateway.Connections[0].Closed.WaitAsync(EndToEndBot.ReplyTimeout);
        Assert.Equal(1000, close.ClientCloseCode);
        Assert.False(close.ServerClosedFirst);
        Assert.False(close.Aborted);
        Assert.True(service.ExecuteTask is { IsCompleted: true });
        Assert.Single(e2e.Gateway.Connections);
        await e2e.AssertEachAnsweredOnceAsync([question]);
        e2e.AssertEveryRequestValid();
    }
}
