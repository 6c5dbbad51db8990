using SealPortal.Features.Ledger;

namespace SealPortal.Tests.Features.Ledger;

public class ReadAheadTests
{
    private sealed class Source(int count, int? failAt = null)
    {
        public int Produced;
        public bool Disposed;
        public int? ThreadId;

        public async IAsyncEnumerable<int> Rows([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                for (var i = 0; i < count; i++)
                {
                    ct.ThrowIfCancellationRequested();
                    if (i == failAt)
                        throw new InvalidOperationException($"database went away at row {i}");
                    ThreadId = Environment.CurrentManagedThreadId;
                    Produced++;
                    await Task.Yield();
                    yield return i;
                }
            }
            finally
            {
                Disposed = true;
            }
        }
    }

    [Fact]
    public async Task Every_row_arrives_in_order()
    {
        var source = new Source(10_000);
        var seen = new List<int>();
        await foreach (var row in ReadAhead.Of(source.Rows(), CancellationToken.None, capacity: 16))
            seen.Add(row);
        Assert.Equal(Enumerable.Range(0, 10_000), seen);
        Assert.True(source.Disposed);
    }

    [Fact]
    public async Task A_consumer_that_stops_early_stops_the_read_and_the_source_is_done_before_it_returns()
    {
        var source = new Source(1_000_000);
        await foreach (var row in ReadAhead.Of(source.Rows(), CancellationToken.None, capacity: 8))
        {
            if (row == 100)
                break;
        }
        Assert.True(source.Disposed);
        var produced = source.Produced;
        Assert.InRange(produced, 101, 101 + 8 + 2);
        await Task.Delay(50);
        Assert.Equal(produced, source.Produced);
    }

    [Fact]
    public async Task A_failing_read_surfaces_to_the_consumer_with_its_own_message()
    {
        var source = new Source(1000, failAt: 500);
        var seen = 0;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in ReadAhead.Of(source.Rows(), CancellationToken.None, capacity: 4))
                seen++;
        });
        Assert.Equal("database went away at row 500", ex.Message);
        Assert.Equal(500, seen);
    }

    [Fact]
    public async Task Cancelling_the_caller_stops_the_read()
    {
        var source = new Source(1_000_000);
        using var cts = new CancellationTokenSource();
        var seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in ReadAhead.Of(source.Rows(), cts.Token, capacity: 4))
            {
                if (++seen == 10)
                    await cts.CancelAsync();
            }
        });
        Assert.True(source.Disposed);
        Assert.True(source.Produced < 1_000_000);
    }
}
