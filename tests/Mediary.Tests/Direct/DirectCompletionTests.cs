using System.Security.Cryptography;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>
/// What only a video's whole file can tell: checked within complete on local disk, by the video's
/// one job in a bucket, which fails the media with the reason and drops its bytes.
/// </summary>
public sealed class DirectCompletionTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private bool ByJob => app.Bucket is not null;

    [Fact]
    public async Task A_webm_with_only_sound_declared_as_video_fails_with_the_reason()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("audio-only.webm"), "video/webm");
        Assert.Contains("only audio", await user.VerificationFailureAsync(await user.CompleteAsync(declared.MediaId), ByJob));
        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId));
        Assert.Equal("failed", (await user.GetDirectMediaAsync(declared.MediaId)).MediaStatus);
    }

    [Fact]
    public async Task A_video_whose_checksum_does_not_match_fails_with_the_reason_and_leaves_nothing()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareAndPutAsync(Fixtures.Path("h264-aac.mp4"), "video/mp4",
            Convert.ToHexStringLower(SHA256.HashData("another file"u8)));
        Assert.Contains("SHA-256", await user.VerificationFailureAsync(await user.CompleteAsync(declared.MediaId), ByJob));
        Assert.False(await app.HoldsDirectUploadAsync(declared.MediaId));
        var shown = await user.GetDirectMediaAsync(declared.MediaId);
        Assert.Equal("failed", shown.MediaStatus);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, shown.Data.GetProperty("url").ValueKind);
    }
}
