using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Mediary.Webhooks;

/// <summary>A delivery refused before connecting: the host resolves only to addresses webhooks may not reach.</summary>
public sealed class RefusedAddressException(string message) : HttpRequestException(message);

/// <summary>
/// The HTTP client of deliveries. It resolves the host itself and connects to an address it has
/// just checked (<see cref="AddressRules"/>), so a name that resolves to a public address when
/// registered and to a private one when delivered (DNS rebinding) is still refused. No proxy (it
/// would connect instead), no redirects (a 3xx is the receiver's answer, and a failure), no cookies.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    public HttpClient Client { get; }

    public WebhookHttp(IOptions<WebhookOptions> options)
    {
        var allowPrivate = options.Value.AllowPrivateAddresses;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(address => allowPrivate || AddressRules.IsPublic(address)).ToList();
        if (allowed.Count == 0)
        {
            throw new RefusedAddressException(addresses.Length == 0
                ? $"{endpoint.Host} does not resolve to any address"
                : $"{endpoint.Host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}: private, loopback or link-local addresses are refused (Webhooks:AllowPrivateAddresses)");
        }
        Exception? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"could not connect to {endpoint.Host}:{endpoint.Port}: {last?.Message}", last);
    }

    public void Dispose() => Client.Dispose();
}
