using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Direct;

/// <summary>
/// Step 2 with tus: <c>resumable_upload_url</c> from the declaration, given to a tus client as its
/// upload URL (no API key: the signature is the permission), then <c>complete</c> as after a PUT.
/// </summary>
public sealed class DirectResumableUploadTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task A_video_sent_in_pieces_through_the_resumable_url_completes_as_after_a_put()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("h264-aac.mp4");
        var bytes = await File.ReadAllBytesAsync(path);
        var declared = await user.DeclareFileAsync(path, "video/mp4", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var id = declared.MediaId;
        var url = declared.Data.GetProperty("resumable_upload_url").GetString()!;
        Assert.Matches($"^http://localhost/v1/uploads/{id}/resumable\\?expires=[0-9]{{10}}&signature=[0-9a-f]{{64}}$", url);
        // The seed's fields stay as they were.
        Assert.Equal("PUT", declared.Data.GetProperty("upload_method").GetProperty("method").GetString());

        using var client = app.CreateClient();
        using (var head = await SendAsync(client, HttpMethod.Head, url))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("0", Header(head, "Upload-Offset"));
            Assert.Equal(bytes.Length.ToString(), Header(head, "Upload-Length"));
            Assert.Equal("1.0.0", Header(head, "Tus-Resumable"));
        }

        // complete before the last byte: the file is not there yet.
        var half = bytes.Length / 2;
        using (var first = await PatchAsync(client, url, 0, bytes.AsMemory(0, half))) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        var early = await user.CompleteAsync(id);
        Assert.Equal("upload_not_ready", early.ErrorCode);

        using (var wrong = await PatchAsync(client, url, 0, bytes.AsMemory(0, 100)))
        {
            var answer = await DirectAnswer.FromAsync(wrong, keyed: false);
            Assert.Equal(HttpStatusCode.Conflict, answer.Status);
            Assert.Equal("upload_offset_mismatch", answer.ErrorCode);
            Assert.Equal(half.ToString(), Header(wrong, "Upload-Offset"));
        }
        using (var rest = await PatchAsync(client, url, half, bytes.AsMemory(half)))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
            Assert.Equal(bytes.Length.ToString(), Header(rest, "Upload-Offset"));
        }

        var completed = await user.CompleteAsync(id);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        var ready = await user.WaitUntilSettledAsync(id);
        Assert.Equal("ready", ready.MediaStatus);
        Assert.Equal("video", ready.Data.GetProperty("type").GetString());

        // Once completed, the URL takes nothing more.
        using var after = await SendAsync(client, HttpMethod.Head, url);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task A_resumable_url_with_a_changed_signature_or_another_tus_version_is_refused()
    {
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareFileAsync(Fixtures.Path("600x400.jpg"), "image/jpeg");
        var url = declared.Data.GetProperty("resumable_upload_url").GetString()!;
        using var client = app.CreateClient();

        var forged = url[..^4] + (url.EndsWith("0000", StringComparison.Ordinal) ? "1111" : "0000");
        using (var refused = await SendAsync(client, HttpMethod.Head, forged))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        using var request = new HttpRequestMessage(HttpMethod.Head, url);
        request.Headers.Add("Tus-Resumable", "0.2.2");
        using var version = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PreconditionFailed, version.StatusCode);
        Assert.Equal("1.0.0", Header(version, "Tus-Version"));
    }

    [Fact]
    public async Task Termination_drops_the_bytes_sent_and_the_upload_starts_again_from_zero()
    {
        var user = await app.NewDirectUserAsync();
        var path = Fixtures.Path("600x400.jpg");
        var bytes = await File.ReadAllBytesAsync(path);
        var declared = await user.DeclareFileAsync(path, "image/jpeg");
        var url = declared.Data.GetProperty("resumable_upload_url").GetString()!;
        using var client = app.CreateClient();
        using (var first = await PatchAsync(client, url, 0, bytes.AsMemory(0, 5000))) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using (var deleted = await SendAsync(client, HttpMethod.Delete, url)) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var head = await SendAsync(client, HttpMethod.Head, url)) Assert.Equal("0", Header(head, "Upload-Offset"));

        using (var whole = await PatchAsync(client, url, 0, bytes)) Assert.Equal(HttpStatusCode.NoContent, whole.StatusCode);
        var completed = await user.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        Assert.Equal("ready", completed.MediaStatus);
    }

    [Fact]
    public async Task A_file_of_several_parts_sent_in_pieces_smaller_than_a_part_arrives_whole()
    {
        // 13 MB: on the bucket (parts of 5 MiB in the tests) it becomes two parts and a tail, each
        // built of pieces that were tails in the bucket between requests; on local disk, one file.
        var bytes = (await File.ReadAllBytesAsync(Fixtures.Path("photo-12mp-exif6.jpg"))).Concat(new byte[9_900_000]).ToArray();
        var path = Path.Combine(app.DataDirectory, "padded.jpg");
        await File.WriteAllBytesAsync(path, bytes);
        var user = await app.NewDirectUserAsync();
        var declared = await user.DeclareFileAsync(path, "image/jpeg", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(HttpStatusCode.OK, declared.Status);
        var url = declared.Data.GetProperty("resumable_upload_url").GetString()!;
        using var client = app.CreateClient();

        const int piece = 3_000_000;
        for (var offset = 0; offset < bytes.Length; offset += piece)
        {
            using var patched = await PatchAsync(client, url, offset, bytes.AsMemory(offset, Math.Min(piece, bytes.Length - offset)));
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
            Assert.Equal(Math.Min(offset + piece, bytes.Length).ToString(), Header(patched, "Upload-Offset"));
            using var head = await SendAsync(client, HttpMethod.Head, url);
            Assert.Equal(Math.Min(offset + piece, bytes.Length).ToString(), Header(head, "Upload-Offset"));
        }

        // complete checks the declared SHA-256 against what arrived: every byte in its place.
        var completed = await user.CompleteAsync(declared.MediaId);
        Assert.Equal(HttpStatusCode.OK, completed.Status);
        var ready = await user.WaitUntilSettledAsync(declared.MediaId);
        Assert.Equal("ready", ready.MediaStatus);
        Assert.Equal("image", ready.Data.GetProperty("type").GetString());
        if (app.Bucket is not null)
        {
            Assert.DoesNotContain(await app.Bucket.KeysAsync(), key => key.StartsWith("resumable_uploads/", StringComparison.Ordinal));
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, long offset, ReadOnlyMemory<byte> bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = new ReadOnlyMemoryContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString());
        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"no {name} on {(int)response.StatusCode}");
}
