using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>An audio file without a single sample is refused with the answer, not accepted and failed later.</summary>
public sealed class EmptyAudioTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("v2")]
    [InlineData("v1")]
    public async Task A_wav_with_no_samples_answers_422_at_once(string version)
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("empty.wav"), version);
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
    }
}
