using Microsoft.AspNetCore.Components.Server.Circuits;

namespace SealPortal.Hosting;

/// <summary>
/// Counts the open Blazor circuits (one per interactive browser tab) of this instance: the circuit benchmark
/// (SealPortal.Tests/Browser/CircuitBench.cs) checks with it that every page it opened holds a circuit.
/// </summary>
public sealed class CircuitCounter : CircuitHandler
{
    private static int _open;

    public static int Open => Volatile.Read(ref _open);

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _open);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Interlocked.Decrement(ref _open);
        return Task.CompletedTask;
    }
}
