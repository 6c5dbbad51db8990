using SealPortal.Features.Sealing;

namespace SealPortal.Tests.Features.Sealing;

public class RequestGateTests
{
    // Ids far from any test portal's requests: the gate table is process-wide.
    private static int NewId() => Random.Shared.Next(1_000_000_000, int.MaxValue);

    [Fact]
    public async Task A_second_caller_waits_for_the_first_and_the_entry_goes_when_both_are_done()
    {
        var id = NewId();
        var first = await RequestGate.EnterAsync(id, CancellationToken.None);
        var second = RequestGate.EnterAsync(id, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        Assert.True(RequestGate.InUse(id));

        first.Dispose();
        first.Dispose(); // a second dispose releases nothing more
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        Assert.False(RequestGate.InUse(id));

        // Other requests never wait for this one.
        using var other = await RequestGate.EnterAsync(id + 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_waiter_that_gives_up_leaves_no_entry_behind()
    {
        var id = NewId();
        var holder = await RequestGate.EnterAsync(id, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var waiter = RequestGate.EnterAsync(id, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        holder.Dispose();
        Assert.False(RequestGate.InUse(id));
    }
}
