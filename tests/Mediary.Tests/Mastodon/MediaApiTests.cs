using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>The Mastodon media endpoints as a client sees them: status codes, bodies, headers, files.</summary>
public sealed class MediaApiTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Fact]
    public async Task V2_upload_of_a_jpeg_answers_200_with_Mastodons_json_in_Mastodons_key_order()
    {
        var user = await app.NewUserAsync();
        var answer = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = "jpeg image" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("application/json", answer.Response.Content.Headers.ContentType!.ToString());
        Assert.DoesNotContain("\n", answer.Body);
        var json = answer.Json;
        Assert.Equal(["id", "type", "url", "preview_url", "remote_url", "preview_remote_url", "text_url", "meta", "description", "blurhash"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Matches("^[0-9]{15,19}$", answer.Id);
        Assert.Equal("image", json.GetProperty("type").GetString());
        Assert.Equal("jpeg image", json.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("remote_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("text_url").ValueKind);
        Assert.Equal(36, json.GetProperty("blurhash").GetString()!.Length);
        Assert.StartsWith(app.MediaBaseUrl + "/media_attachments/files/", answer.Url);
        Assert.EndsWith(".jpg", answer.Url);
        Assert.DoesNotContain("600x400", answer.Url);

        Assert.Equal(["original", "small"], answer.Meta.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["width", "height", "size", "aspect"], answer.Meta.GetProperty("original").EnumerateObject().Select(p => p.Name));
        Assert.Contains("\"original\":{\"width\":600,\"height\":400,\"size\":\"600x400\",\"aspect\":1.5}", answer.Body);
        Assert.Contains("\"small\":{\"width\":588,\"height\":392,\"size\":\"588x392\",\"aspect\":1.5}", answer.Body);
        Assert.Equal((588, 392), Tools.ImageSize(await app.StoredFileAsync(answer.PreviewUrl)));
    }

    [Fact]
    public async Task V1_upload_answers_200_and_the_media_can_be_fetched_again()
    {
        var user = await app.NewUserAsync("write:media read");
        var created = await user.UploadAsync(Fixtures.Path("600x400.png"), "v1");
        Assert.Equal(HttpStatusCode.OK, created.Status);

        var fetched = await user.GetMediaAsync(created.Id);
        Assert.Equal(HttpStatusCode.OK, fetched.Status);
        Assert.Equal(created.Body, fetched.Body);
        Assert.Equal(JsonValueKind.Null, fetched.Json.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task Another_accounts_media_and_unknown_ids_are_not_found()
    {
        var owner = await app.NewUserAsync();
        var stranger = await app.NewUserAsync();
        var created = await owner.UploadAsync(Fixtures.Path("600x400.jpg"));

        foreach (var id in new[] { created.Id, "999999999999", "not-a-number" })
        {
            var get = await stranger.GetMediaAsync(id);
            get.AssertError(HttpStatusCode.NotFound, "Record not found");
            var put = await stranger.Client.PutAsync($"/api/v1/media/{id}", new FormUrlEncodedContent([new("description", "mine now")]));
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
            var delete = await stranger.Client.DeleteAsync($"/api/v1/media/{id}");
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await owner.GetMediaAsync(created.Id)).Status);
    }

    [Fact]
    public async Task Put_updates_description_and_focus_from_a_form_and_from_json()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = "old" });
        // Shown once before the changes, so an answer remembered from then would show here at the end.
        Assert.Equal("old", (await user.GetMediaAsync(created.Id)).Json.GetProperty("description").GetString());

        var form = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{created.Id}",
            new FormUrlEncodedContent([new("description", "Lorem ipsum!!!"), new("focus", "-0.42,0.69")])));
        Assert.Equal(HttpStatusCode.OK, form.Status);
        Assert.Equal("Lorem ipsum!!!", form.Json.GetProperty("description").GetString());
        Assert.Contains("\"focus\":{\"x\":-0.42,\"y\":0.69}", form.Body);

        var json = await Answer.FromAsync(await user.Client.PatchAsync($"/api/v1/media/{created.Id}",
            new StringContent("{\"description\":\"from json ✓\",\"focus\":\"5,-7\"}", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.OK, json.Status);
        Assert.Equal("from json ✓", json.Json.GetProperty("description").GetString());
        Assert.Contains("\"focus\":{\"x\":1.0,\"y\":-1.0}", json.Body);
        Assert.Equal(["original", "small", "focus"], json.Meta.EnumerateObject().Select(p => p.Name));

        var again = await user.GetMediaAsync(created.Id);
        Assert.Equal(json.Body, again.Body);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("1,2,3")]
    [InlineData("abc,0")]
    [InlineData("NaN,0")]
    [InlineData("Infinity,1")]
    public async Task A_focus_that_is_not_two_numbers_is_refused(string focus)
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var answer = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{created.Id}", new FormUrlEncodedContent([new("focus", focus)])));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Focus must be two comma-separated numbers");

        var onCreate = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["focus"] = focus });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, onCreate.Status);
    }

    [Fact]
    public async Task Delete_answers_empty_object_then_the_media_and_its_files_are_gone()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        Assert.Equal(HttpStatusCode.OK, (await app.FetchAsync(created.Url)).StatusCode);

        var delete = await Answer.FromAsync(await user.Client.DeleteAsync($"/api/v1/media/{created.Id}"));
        Assert.Equal(HttpStatusCode.OK, delete.Status);
        Assert.Equal("{}", delete.Body);

        Assert.Equal(HttpStatusCode.NotFound, (await user.GetMediaAsync(created.Id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.FetchAsync(created.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.FetchAsync(created.PreviewUrl)).StatusCode);
        Assert.False(await app.IsStoredAsync(created.Url));
    }

    [Fact]
    public async Task Media_can_be_sent_as_a_base64_data_uri()
    {
        var user = await app.NewUserAsync();
        var dataUri = "data:image/png;base64," + Convert.ToBase64String(await File.ReadAllBytesAsync(Fixtures.Path("600x400.jpg")));
        var json = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media",
            new StringContent(JsonSerializer.Serialize(new { file = dataUri }), Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.OK, json.Status);
        Assert.EndsWith(".jpeg", json.Url);

        var form = new MultipartFormDataContent { { new StringContent(dataUri), "file" } };
        var multipart = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/media", form));
        Assert.Equal(HttpStatusCode.OK, multipart.Status);
    }

    [Fact]
    public async Task Upload_without_a_file_is_refused_with_Mastodons_message()
    {
        var user = await app.NewUserAsync();
        var answer = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media", new FormUrlEncodedContent([new("description", "no file")])));
        answer.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: File can't be blank");
    }

    [Fact]
    public async Task Api_responses_vary_by_token_are_private_and_allow_any_origin()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{created.Id}");
        request.Headers.Add("Origin", "https://client.example");
        var response = await user.Client.SendAsync(request);

        Assert.Contains("Authorization", response.Headers.Vary);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v2/media");
        preflight.Headers.Add("Origin", "https://client.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
        var answer = await app.CreateClient().SendAsync(preflight);
        Assert.True(answer.IsSuccessStatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_json_null_description_clears_it()
    {
        var user = await app.NewUserAsync();
        var created = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = "to be cleared" });
        var cleared = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{created.Id}",
            new StringContent("{\"description\":null}", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.Equal(JsonValueKind.Null, cleared.Json.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task A_file_part_without_a_file_name_is_still_a_file()
    {
        // What megalodon sends for a Buffer: Content-Type but no filename.
        var user = await app.NewUserAsync();
        var part = new ByteArrayContent(await File.ReadAllBytesAsync(Fixtures.Path("600x400.png")));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"" };
        var form = new MultipartFormDataContent { part };
        var answer = await Answer.FromAsync(await user.Client.PostAsync("/api/v2/media", form));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.EndsWith(".png", answer.Url);
    }
}
