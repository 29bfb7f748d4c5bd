using System.Net;
using System.Net.Sockets;

namespace Mediary.RateLimits;

/// <summary>The address a per-address throttle counts, as Mastodon's Rack::Attack does: the IP, an IPv6 one masked to its /64.</summary>
public static class ClientAddress
{
    public static string Throttleable(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString();
    }
}
