using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Statuses;

/// <summary>A status naming media that cannot be attached says which ids, as Mastodon reads them (Ruby's to_i).</summary>
public sealed class MediaIdTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("99999999999999999999999", "99999999999999999999999")] // past 64 bits: whole, not 0
    [InlineData("-9223372036854775809", "-9223372036854775809")]
    [InlineData("0042", "42")]
    [InlineData("12abc", "12")]
    [InlineData("abc", "0")]
    public async Task An_id_that_is_not_found_is_named_as_mastodon_reads_it(string sent, string named)
    {
        var user = await app.NewUserAsync();
        var form = new FormUrlEncodedContent([new("status", "hello"), new("media_ids[]", sent)]);
        var answer = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", form));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, $"Media {named} not found or already attached to another post");
    }

    [Fact]
    public async Task An_id_sent_twice_is_named_twice_as_by_rubys_array_difference()
    {
        var user = await app.NewUserAsync();
        var form = new FormUrlEncodedContent([new("status", "hello"), new("media_ids[]", "999"), new("media_ids[]", "999")]);
        var answer = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", form));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Media 999, 999 not found or already attached to another post");
    }
}
