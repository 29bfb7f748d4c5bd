using System.Net;
using Mediary.RateLimits;
using Microsoft.AspNetCore.Http;

namespace Mediary.Tests.RateLimits;

/// <summary>The address the per-address throttles (sign-ups, app registrations, failed sign-ins) count, as Rack::Attack's throttleable_remote_ip.</summary>
public sealed class ClientAddressTests
{
    private static string KeyFor(string? address)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = address is null ? null : IPAddress.Parse(address);
        return ClientAddress.Throttleable(http);
    }

    [Fact]
    public void Addresses_in_one_IPv6_64_share_a_count_and_the_next_64_has_its_own()
    {
        Assert.Equal("2001:db8:1:2::", KeyFor("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        Assert.Equal(KeyFor("2001:db8:1:2::1"), KeyFor("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        Assert.NotEqual(KeyFor("2001:db8:1:2::1"), KeyFor("2001:db8:1:3::1"));
    }

    [Fact]
    public void An_IPv4_address_counts_alone_also_when_it_arrives_mapped_into_IPv6()
    {
        Assert.Equal("192.0.2.7", KeyFor("192.0.2.7"));
        Assert.Equal("192.0.2.7", KeyFor("::ffff:192.0.2.7"));
        Assert.NotEqual(KeyFor("192.0.2.7"), KeyFor("192.0.2.8"));
    }
}
