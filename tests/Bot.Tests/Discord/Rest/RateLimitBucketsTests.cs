using CaravanBot.Bot.Discord;
using CaravanBot.Bot.Discord.Models;
using CaravanBot.Bot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CaravanBot.Bot.Tests.Discord.Rest;

/// <summary>Bucket bookkeeping over a long-running process, on a hand-driven clock; and the client's registration.</summary>
public sealed class RateLimitBucketsTests
{
    [Fact]
    public async Task Routes_learn_their_bucket_and_share_it_within_one_major_parameter()
    {
        var clock = new ManualTimeProvider();
        var buckets = new RateLimitBuckets(clock, TimeSpan.FromMinutes(5));
        var create = DiscordRoute.CreateMessage(1);

        var first = await buckets.EnterAsync(create, CancellationToken.None);
        first.Bucket.Update(new RateLimitHeaders { Bucket = "abc", Limit = 5, Remaining = 0, ResetAfter = TimeSpan.FromSeconds(2) }, clock.GetUtcNow());
        buckets.Learn(create, first.Bucket, "abc");
        first.Pass();

        var again = await buckets.EnterAsync(create, CancellationToken.None);
        Assert.Same(first.Bucket, again.Bucket);
        Assert.Equal(TimeSpan.FromSeconds(2), again.Bucket.DelayBeforeNext(clock.GetUtcNow()));
        again.Pass();

        var otherChannel = await buckets.EnterAsync(DiscordRoute.CreateMessage(2), CancellationToken.None);
        Assert.NotSame(first.Bucket, otherChannel.Bucket);
        Assert.Equal(TimeSpan.Zero, otherChannel.Bucket.DelayBeforeNext(clock.GetUtcNow()));
        otherChannel.Pass();
    }

    [Fact]
    public async Task A_channel_keeps_its_own_limits_when_another_channel_taught_the_route_its_bucket_first()
    {
        var clock = new ManualTimeProvider();
        var buckets = new RateLimitBuckets(clock, TimeSpan.FromMinutes(5));
        var inFirst = await buckets.EnterAsync(DiscordRoute.CreateMessage(1), CancellationToken.None);
        var inSecond = await buckets.EnterAsync(DiscordRoute.CreateMessage(2), CancellationToken.None);

        inFirst.Bucket.Update(new RateLimitHeaders { Bucket = "abc", Limit = 5, Remaining = 4, ResetAfter = TimeSpan.FromSeconds(5) }, clock.GetUtcNow());
        buckets.Learn(DiscordRoute.CreateMessage(1), inFirst.Bucket, "abc");
        inFirst.Pass();
        inSecond.Bucket.Update(new RateLimitHeaders { Bucket = "abc", Limit = 5, Remaining = 0, ResetAfter = TimeSpan.FromSeconds(2) }, clock.GetUtcNow());
        buckets.Learn(DiscordRoute.CreateMessage(2), inSecond.Bucket, "abc");
        inSecond.Pass();

        var next = await buckets.EnterAsync(DiscordRoute.CreateMessage(2), CancellationToken.None);
        Assert.Same(inSecond.Bucket, next.Bucket);
        Assert.Equal(TimeSpan.FromSeconds(2), next.Bucket.DelayBeforeNext(clock.GetUtcNow()));
        next.Pass();
    }

    [Fact]
    public void A_response_read_late_does_not_give_back_room_its_window_no_longer_has()
    {
        var clock = new ManualTimeProvider();
        var bucket = new RateLimitBucket();
        var firstWindowEnds = clock.GetUtcNow() + TimeSpan.FromSeconds(0.5);

        // Limit 3 per half second: the first response says 2 left, and two more requests go.
        bucket.Consume(clock.GetUtcNow());
        bucket.Update(new RateLimitHeaders { Limit = 3, Remaining = 2, ResetAfter = TimeSpan.FromSeconds(0.5), Reset = firstWindowEnds }, clock.GetUtcNow());
        bucket.Consume(clock.GetUtcNow());
        bucket.Consume(clock.GetUtcNow());
        Assert.False(bucket.HasRoom(clock.GetUtcNow()));

        // The window ends; three requests go in the next one.
        clock.Advance(TimeSpan.FromSeconds(0.5));
        bucket.Consume(clock.GetUtcNow());
        bucket.Consume(clock.GetUtcNow());
        bucket.Consume(clock.GetUtcNow());
        Assert.False(bucket.HasRoom(clock.GetUtcNow()));

        // A busy process reads the first window's second response only now: it names the ended window, so no room.
        clock.Advance(TimeSpan.FromMilliseconds(20));
        bucket.Update(new RateLimitHeaders { Limit = 3, Remaining = 1, ResetAfter = TimeSpan.FromSeconds(0.45), Reset = firstWindowEnds }, clock.GetUtcNow());
        Assert.False(bucket.HasRoom(clock.GetUtcNow()));

        // The new window's first response counts its own request only: the two sent after it still stand.
        bucket.Update(new RateLimitHeaders { Limit = 3, Remaining = 2, ResetAfter = TimeSpan.FromSeconds(0.48), Reset = firstWindowEnds + TimeSpan.FromSeconds(0.5) }, clock.GetUtcNow());
        Assert.False(bucket.HasRoom(clock.GetUtcNow()));
        Assert.Equal(TimeSpan.FromSeconds(0.48), bucket.DelayBeforeNext(clock.GetUtcNow()));

        // The window after that starts afresh.
        clock.Advance(TimeSpan.FromSeconds(0.5));
        bucket.Consume(clock.GetUtcNow());
        bucket.Update(new RateLimitHeaders { Limit = 3, Remaining = 2, ResetAfter = TimeSpan.FromSeconds(0.5), Reset = firstWindowEnds + TimeSpan.FromSeconds(1) }, clock.GetUtcNow());
        Assert.True(bucket.HasRoom(clock.GetUtcNow()));
    }

    [Fact]
    public async Task Idle_buckets_are_forgotten_so_per_interaction_buckets_do_not_pile_up()
    {
        var clock = new ManualTimeProvider();
        var buckets = new RateLimitBuckets(clock, TimeSpan.FromMinutes(5));
        for (var i = 0; i < 20; i++)
        {
            var bucket = await buckets.EnterAsync(DiscordRoute.CreateInteractionResponse((ulong)i + 1, $"token-{i}"), CancellationToken.None);
            bucket.Pass();
        }

        Assert.Equal(20, buckets.Count);
        clock.Advance(TimeSpan.FromMinutes(6));
        var fresh = await buckets.EnterAsync(DiscordRoute.CreateMessage(1), CancellationToken.None);
        fresh.Pass();

        Assert.Equal(1, buckets.Count);
    }

    [Fact]
    public async Task A_bucket_in_use_survives_the_sweep()
    {
        var clock = new ManualTimeProvider();
        var buckets = new RateLimitBuckets(clock, TimeSpan.FromMinutes(5));
        var held = await buckets.EnterAsync(DiscordRoute.CreateMessage(1), CancellationToken.None);

        clock.Advance(TimeSpan.FromMinutes(10));
        var other = await buckets.EnterAsync(DiscordRoute.CreateMessage(2), CancellationToken.None);

        Assert.Equal(2, buckets.Count);
        held.Pass();
        other.Pass();
    }

    [Fact]
    public void The_client_is_registered_as_one_shared_instance()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(new DiscordOptions { Token = "token" }));
        services.AddDiscordRestClient(tuning => tuning.MaxServerErrorRetries = 1);
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<IDiscordRestClient>();
        var second = provider.GetRequiredService<IDiscordRestClient>();

        Assert.IsType<DiscordRestClient>(first);
        Assert.Same(first, second);
    }

    [Fact]
    public void A_missing_token_is_reported_without_guessing_at_it()
    {
        using var http = new HttpClient();
        var failure = Assert.Throws<InvalidOperationException>(() => new DiscordRestClient(
            http,
            Options.Create(new DiscordOptions { Token = " " }),
            NullLogger<DiscordRestClient>.Instance,
            TimeProvider.System));

        Assert.Contains("DISCORD_TOKEN", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTimeProvider : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
