using CaravanBot.Bot.AnswerLog;

namespace CaravanBot.Bot.Tests.AnswerLog;

public sealed class RunOnceTests
{
    [Fact]
    public async Task Callers_racing_to_initialise_run_it_once()
    {
        var once = new RunOnce();
        var runs = 0;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => once.RunAsync(
            async () =>
            {
                Interlocked.Increment(ref runs);
                await Task.Delay(20);
            },
            CancellationToken.None))));

        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task A_failed_initialisation_is_tried_again_by_the_next_caller()
    {
        var once = new RunOnce();
        var runs = 0;
        Task Flaky() => ++runs == 1 ? throw new InvalidOperationException("server not up yet") : Task.CompletedTask;

        await Assert.ThrowsAsync<InvalidOperationException>(() => once.RunAsync(Flaky, CancellationToken.None));
        await once.RunAsync(Flaky, CancellationToken.None);
        await once.RunAsync(Flaky, CancellationToken.None);

        Assert.Equal(2, runs);
    }
}
