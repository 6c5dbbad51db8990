using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SealPortal.Tests.Infrastructure;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 (ephemeral port) for tests: it refuses the first
/// <see cref="RefuseFirst"/> sessions with "421 try later" and accepts messages after that,
/// keeping what it received; with <see cref="RefuseRecipients"/> it refuses every recipient.
/// </summary>
public sealed class TinySmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _sessions;

    public TinySmtpServer(int refuseFirst = 0)
    {
        RefuseFirst = refuseFirst;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public int RefuseFirst { get; set; }

    /// <summary>Answers every RCPT with "550 no such mailbox", a refusal for good.</summary>
    public bool RefuseRecipients { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Each accepted message: envelope recipients and the DATA text.</summary>
    public ConcurrentQueue<(IReadOnlyList<string> To, string Data)> Messages { get; } = new();

    public int Sessions => _sessions;

    public async Task<bool> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (Messages.Count < count && DateTime.UtcNow < until)
            await Task.Delay(100);
        return Messages.Count >= count;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var session = Interlocked.Increment(ref _sessions);
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        try
        {
            if (session <= RefuseFirst)
            {
                await writer.WriteLineAsync("421 4.3.2 Service not available, try later");
                return;
            }
            await writer.WriteLineAsync("220 tiny.test ESMTP");
            var to = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250 tiny.test");
                        break;
                    case "MAIL":
                        to.Clear();
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT" when RefuseRecipients:
                        await writer.WriteLineAsync("550 5.1.1 No such mailbox here");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } l && l != ".")
                            data.AppendLine(l.StartsWith("..") ? l[1..] : l);
                        Messages.Enqueue((to.ToList(), data.ToString()));
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
