using System.Net;
using System.Net.Sockets;

namespace AssistanceRouter.Testing;

public static class FreePort
{
    // Ports handed out come from below the kernel's ephemeral range (32768 and up on Linux), where the kernel never
    // picks one for an outgoing connection or a bind to port 0: between this call and the server's bind nobody else
    // takes it, unless another test process hands out the same one, which the per-process start and the bind check
    // below make unlikely. (Asking the kernel for port 0 and closing it, as this once did, raced with every socket.)
    private const int First = 20000;
    private const int Last = 32000;
    private static int next = First + Environment.ProcessId * 97 % (Last - First);

    /// <summary>A loopback port nobody listens on, never handed out twice by this process.</summary>
    public static int Next()
    {
        for (var tries = 0; tries < Last - First; tries++)
        {
            var port = First + (Interlocked.Increment(ref next) - First) % (Last - First);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try the next one.
            }
        }
        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    /// <summary>Waits until something accepts connections on <paramref name="port"/>.</summary>
    public static Task WaitUntilListeningAsync(int port, TimeSpan? timeout = null) =>
        Eventually.Succeeds(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        }, $"a listener on port {port}", timeout ?? TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));
}
