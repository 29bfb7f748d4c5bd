using System.Globalization;
using System.Net;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>Mastodon's throttle_api_media (spec §14): fixed, epoch-aligned windows per account.</summary>
public sealed class UploadRateLimitTests(UploadThrottleApp app) : IClassFixture<UploadThrottleApp>
{
    private const int Period = 3600;

    [Fact]
    public async Task The_upload_after_the_limit_gets_429_and_the_successful_ones_count_down()
    {
        var user = await app.NewUserAsync();
        var first = await user.UploadAsync(Fixtures.Path("600x400.jpg"), "v1");
        var second = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var third = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        foreach (var (answer, remaining) in new[] { (first, "2"), (second, "1"), (third, "0") })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.Equal("3", Header(answer, "X-RateLimit-Limit"));
            Assert.Equal(remaining, Header(answer, "X-RateLimit-Remaining"));
            AssertResetIsTheWindowEnd(Header(answer, "X-RateLimit-Reset"));
        }

        var fourth = await user.UploadAsync(Fixtures.Path("600x400.jpg"), "v1");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.Status);
        Assert.Equal("{\"error\":\"Too many requests\"}", fourth.Body);
        Assert.Equal("3", Header(fourth, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(fourth, "X-RateLimit-Remaining"));
        AssertResetIsTheWindowEnd(Header(fourth, "X-RateLimit-Reset"));

        // Refused before the body is read: a malformed multipart body gets 429, not 422.
        using var malformed = new StringContent("not multipart", Encoding.UTF8, "multipart/form-data");
        var fifth = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media", malformed));
        Assert.Equal(HttpStatusCode.TooManyRequests, fifth.Status);

        // GET is neither counted nor throttled, and carries no upload throttle headers.
        var get = await user.GetMediaAsync(first.Id);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.False(get.Response.Headers.Contains("X-RateLimit-Remaining"));

        // Another account has its own window.
        var other = await app.NewUserAsync();
        var theirs = await other.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, theirs.Status);
        Assert.Equal("2", Header(theirs, "X-RateLimit-Remaining"));
    }

    [Fact]
    public async Task The_next_window_allows_uploads_again()
    {
        var user = await app.NewUserAsync();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);

        var windowEnd = DateTimeOffset.FromUnixTimeSeconds((app.Clock.GetUtcNow().ToUnixTimeSeconds() / Period + 1) * Period);
        app.Clock.SetUtcNow(windowEnd - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
        app.Clock.SetUtcNow(windowEnd);

        var again = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal("2", Header(again, "X-RateLimit-Remaining"));
        AssertResetIsTheWindowEnd(Header(again, "X-RateLimit-Reset"));
    }

    [Fact]
    public async Task Failed_uploads_count_too()
    {
        var user = await app.NewUserAsync();
        var empty = Path.Combine(Directory.CreateTempSubdirectory().FullName, "empty.jpg");
        await File.WriteAllBytesAsync(empty, []);
        var failed = await user.UploadAsync(empty);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.Status);
        // Mastodon sets the headers in an after_action, which a rescued error skips.
        Assert.False(failed.Response.Headers.Contains("X-RateLimit-Remaining"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await user.UploadAsync(empty, "v1")).Status);
        var ok = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Assert.Equal("0", Header(ok, "X-RateLimit-Remaining"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await user.UploadAsync(Fixtures.Path("600x400.jpg"))).Status);
    }

    private static string Header(Answer answer, string name) =>
        answer.Response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"no {name} on {answer}");

    /// <summary>Ruby's <c>iso8601(6)</c> of the current window's end (by the server's clock), carrying the current sub-second fraction.</summary>
    private void AssertResetIsTheWindowEnd(string reset)
    {
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", reset);
        var parsed = DateTimeOffset.Parse(reset, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        var windowEnd = DateTimeOffset.FromUnixTimeSeconds((app.Clock.GetUtcNow().ToUnixTimeSeconds() / Period + 1) * Period);
        Assert.InRange(parsed - windowEnd, TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }
}
