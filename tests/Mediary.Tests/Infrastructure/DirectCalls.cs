using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Mediary.Tests.Infrastructure;

public static class DirectCalls
{
    public static async Task<DirectAnswer> DeclareAsync(this DirectUser user, object body) =>
        await DirectAnswer.FromAsync(await user.Client.PostAsJsonAsync("/v1/media/upload", body));

    public static async Task<DirectAnswer> DeclareFileAsync(this DirectUser user, string path, string contentType, string? checksum = null) =>
        await user.DeclareAsync(checksum is null
            ? new { filename = Path.GetFileName(path), content_type = contentType, size = new FileInfo(path).Length }
            : new { filename = Path.GetFileName(path), content_type = contentType, size = new FileInfo(path).Length, checksum_sha256 = checksum });

    /// <summary>
    /// Step 2, without the API key, as a browser or S3 client would send it: to this server's own
    /// upload endpoint, or over the network to the bucket's presigned URL.
    /// </summary>
    public static async Task<HttpResponseMessage> PutBytesAsync(this DirectUser user, string uploadUrl, HttpContent content, string contentType)
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (new Uri(uploadUrl).Host == "localhost")
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = content };
            request.Headers.Authorization = null;
            return await user.Client.SendAsync(request);
        }
        // A bucket may answer 500 InternalError or 503 SlowDown, which S3 clients retry (the AWS
        // SDKs up to 3 tries). s3rver answers 500 when the PUT races a delete in the same bucket
        // that removes the empty directory both keys live in, a quirk of its file store.
        for (var attempt = 1; ; attempt++)
        {
            // Not disposed before the last try: that would dispose the content sent again.
            var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = content };
            var response = await NetworkClient.SendAsync(request);
            if (attempt == 3 || content is not ByteArrayContent
                || response.StatusCode is not (HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable))
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(100 * attempt);
        }
    }

    private static readonly HttpClient NetworkClient = new();

    public static Task<HttpResponseMessage> PutFileAsync(this DirectUser user, string uploadUrl, string path, string contentType) =>
        user.PutBytesAsync(uploadUrl, new ByteArrayContent(File.ReadAllBytes(path)), contentType);

    public static async Task<DirectAnswer> CompleteAsync(this DirectUser user, string mediaId) =>
        await DirectAnswer.FromAsync(await user.Client.PostAsync($"/v1/media/{mediaId}/complete", null));

    public static async Task<DirectAnswer> GetDirectMediaAsync(this DirectUser user, string mediaId) =>
        await DirectAnswer.FromAsync(await user.Client.GetAsync($"/v1/media/{mediaId}"));

    /// <summary>Steps 1 and 2: declare, then PUT the file. Returns the declaration's answer.</summary>
    public static async Task<DirectAnswer> DeclareAndPutAsync(this DirectUser user, string path, string contentType, string? checksum = null)
    {
        var declared = await user.DeclareFileAsync(path, contentType, checksum);
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var put = await user.PutFileAsync(declared.Data.GetProperty("upload_url").GetString()!, path, contentType);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return declared;
    }

    /// <summary>The whole flow, three requests: declare, PUT, complete. Returns complete's answer.</summary>
    public static async Task<DirectAnswer> UploadDirectAsync(this DirectUser user, string path, string contentType) =>
        await user.CompleteAsync((await user.DeclareAndPutAsync(path, contentType)).MediaId);

    /// <summary>
    /// complete's outcome once settled. Where a job verifies the upload (<paramref name="byJob"/>: a
    /// video or PDF in a bucket), complete answers <c>processing</c> at once and the outcome is read
    /// with GET; otherwise complete's own answer is the outcome.
    /// </summary>
    public static async Task<DirectAnswer> SettleAsync(this DirectUser user, DirectAnswer completed, bool byJob)
    {
        if (!byJob) return completed;
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal("processing", completed.MediaStatus);
        return await user.WaitUntilSettledAsync(completed.MediaId);
    }

    /// <summary>
    /// The reason a verification failed: complete's 400 <c>verification_failed</c>, or, where a job
    /// verifies the upload (<paramref name="byJob"/>), the <c>failed</c> media's next_step.
    /// </summary>
    public static async Task<string> VerificationFailureAsync(this DirectUser user, DirectAnswer completed, bool byJob)
    {
        var settled = await user.SettleAsync(completed, byJob);
        if (!byJob)
        {
            Assert.Equal(HttpStatusCode.BadRequest, settled.Status);
            Assert.Equal("verification_failed", settled.ErrorCode);
            return settled.ErrorMessage;
        }
        Assert.Equal("failed", settled.MediaStatus);
        return settled.Data.GetProperty("next_step").GetString()!;
    }

    /// <summary>
    /// Polls until the media is no longer processing, as a polite client does: every 100 ms while
    /// the key's rate window has room, but never below <see cref="PollingReserve"/> requests left
    /// (then it waits for the window's reset), so the calls that follow still pass.
    /// </summary>
    public static async Task<DirectAnswer> WaitUntilSettledAsync(this DirectUser user, string mediaId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            var answer = await user.GetDirectMediaAsync(mediaId);
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            if (answer.MediaStatus != "processing") return answer;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"direct media {mediaId} still processing: {answer}");
            var pause = TimeSpan.FromMilliseconds(100);
            if (int.Parse(answer.Header("X-RateLimit-Remaining")!) <= PollingReserve)
            {
                var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(answer.Header("X-RateLimit-Reset")!));
                pause = TimeSpan.FromSeconds(Math.Clamp((reset - DateTimeOffset.UtcNow).TotalSeconds + 0.5, 0.1, 61));
            }
            await Task.Delay(pause);
        }
    }

    /// <summary>Requests a polling test keeps in its key's rate window for what it does next.</summary>
    private const int PollingReserve = 10;

    public static async Task<DirectAnswer> PostAsync(this DirectUser user, object body) =>
        await DirectAnswer.FromAsync(await user.Client.PostAsJsonAsync("/v1/posts", body));
}
