using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// A body that is not valid multipart (cut short, no boundary) is the client's mistake: 400
/// <c>{"error":"Bad Request"}</c> on every endpoint that reads one, never a 500, and no temporary
/// file left behind. A data URI that is not base64 is a file that is not one: 422.
/// </summary>
public sealed class MalformedBodyTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private const string Boundary = "mediary-test-boundary";

    public static TheoryData<string, string> Bodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in new[] { "POST /api/v2/media", "POST /api/v1/media", "PUT /api/v1/media/:id", "POST /api/v1/statuses" })
        {
            data.Add(endpoint, "without its closing boundary");
            data.Add(endpoint, "cut inside a part's headers");
            data.Add(endpoint, "without a boundary parameter");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_body_that_is_not_valid_multipart_is_a_bad_request(string endpoint, string fault)
    {
        var user = await app.NewUserAsync();
        var (method, path) = await TargetAsync(user, endpoint);
        using var request = new HttpRequestMessage(method, path) { Content = Malformed(fault) };

        var answer = await Answer.FromAsync(await user.Client.SendAsync(request));

        answer.AssertError(HttpStatusCode.BadRequest, "Bad Request");
        AssertNoTemporaryFiles();
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task A_data_uri_that_is_not_base64_in_a_multipart_field_is_an_invalid_file(string version)
    {
        var user = await app.NewUserAsync();
        using var form = new MultipartFormDataContent { { new StringContent("data:image/png;base64,iVBOR!!not*base64%%"), "file" } };

        var answer = await Answer.FromAsync(await user.Client.PostAsync($"/api/{version}/media", form));

        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File content type is invalid, File is invalid");
        AssertNoTemporaryFiles();
    }

    private async Task<(HttpMethod, string)> TargetAsync(User user, string endpoint)
    {
        var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        if (path.Contains(":id"))
        {
            var media = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
            Assert.Equal(HttpStatusCode.OK, media.Status);
            path = path.Replace(":id", media.Id);
        }
        return (new HttpMethod(method), path);
    }

    /// <summary>A multipart body whose file part starts with real JPEG bytes and then breaks as <paramref name="fault"/> says.</summary>
    private static ByteArrayContent Malformed(string fault)
    {
        var jpeg = File.ReadAllBytes(Fixtures.Path("600x400.jpg"));
        var head = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nA cat\r\n" +
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n");
        byte[] body = fault switch
        {
            "without its closing boundary" => [.. head, .. jpeg.AsSpan(0, jpeg.Length / 2)],
            "cut inside a part's headers" => Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-da"),
            "without a boundary parameter" => [.. head, .. jpeg, .. Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n")],
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = fault == "without a boundary parameter"
            ? new MediaTypeHeaderValue("multipart/form-data")
            : MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return content;
    }

    private void AssertNoTemporaryFiles()
    {
        var temp = Path.Combine(app.DataDirectory, "tmp");
        Assert.Empty(Directory.Exists(temp) ? Directory.GetFiles(temp) : []);
    }
}
