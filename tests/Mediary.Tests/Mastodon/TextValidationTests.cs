using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// Text is checked in one place, with the same answer on SQLite and PostgreSQL (which cannot store
/// U+0000): a null character is a 422 on the Mastodon face and a 400 naming the field on the
/// direct face, and a status over <c>max_characters</c> is Mastodon's 422.
/// </summary>
public sealed class TextValidationTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    [Theory]
    [InlineData("status", "Validation failed: Text contains a null byte")]
    [InlineData("spoiler_text", "Validation failed: Spoiler text contains a null byte")]
    [InlineData("language", "Validation failed: Language contains a null byte")]
    public async Task A_status_with_a_null_character_is_refused(string field, string message)
    {
        var user = await app.NewUserAsync();
        var fields = new Dictionary<string, string> { ["status"] = "fine", [field] = "has\0nul" };

        var posted = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", new FormUrlEncodedContent(fields)));
        posted.AssertError(HttpStatusCode.UnprocessableEntity, message);

        var created = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", JsonContent.Create(new { status = "fine" })));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var edited = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/statuses/{created.Id}", JsonContent.Create(fields)));
        edited.AssertError(HttpStatusCode.UnprocessableEntity, message);
    }

    [Fact]
    public async Task A_media_description_with_a_null_character_is_refused_on_upload_and_on_edit()
    {
        var user = await app.NewUserAsync();
        var upload = await user.UploadAsync(Fixtures.Path("600x400.jpg"), fields: new Dictionary<string, string> { ["description"] = "a\0b" });
        upload.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Description contains a null byte");

        var media = await user.UploadAsync(Fixtures.Path("600x400.jpg"));
        var edit = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/media/{media.Id}", JsonContent.Create(new { description = "a\0b" })));
        edit.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Description contains a null byte");
        Assert.Equal(JsonValueKind.Null, (await user.GetMediaAsync(media.Id)).Json.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task A_status_over_the_advertised_limit_is_refused_and_one_at_it_is_posted()
    {
        var user = await app.NewUserAsync();
        var instance = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/v2/instance")).RootElement;
        var statuses = instance.GetProperty("configuration").GetProperty("statuses");
        Assert.Equal(500, statuses.GetProperty("max_characters").GetInt32());
        Assert.Equal(23, statuses.GetProperty("characters_reserved_per_url").GetInt32());

        var tooLong = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses", JsonContent.Create(new { status = new string('a', 100_000) })));
        tooLong.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Text character limit of 500 exceeded");

        // 476 letters, a space and a 200-character URL that counts as 23: exactly 500.
        var url = "https://example.com/" + new string('p', 180);
        var atLimit = await Answer.FromAsync(await user.Client.PostAsync("/api/v1/statuses",
            JsonContent.Create(new { status = new string('a', 476) + " " + url })));
        Assert.Equal(HttpStatusCode.OK, atLimit.Status);

        var edited = await Answer.FromAsync(await user.Client.PutAsync($"/api/v1/statuses/{atLimit.Id}",
            JsonContent.Create(new { status = new string('a', 501) })));
        edited.AssertError(HttpStatusCode.UnprocessableEntity, "Validation failed: Text character limit of 500 exceeded");
    }

    [Theory]
    [InlineData("filename")]
    [InlineData("content_type")]
    public async Task A_direct_declaration_with_a_null_character_names_the_field(string field)
    {
        var user = await app.NewDirectUserAsync();
        var body = new Dictionary<string, object> { ["filename"] = "clip.mp4", ["content_type"] = "video/mp4", ["size"] = 1000 };
        body[field] = "clip\0.mp4";

        var answer = await user.DeclareAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("validation_error", answer.ErrorCode);
        Assert.Equal(field, answer.Json.GetProperty("error").GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_direct_post_with_a_null_character_names_the_field()
    {
        var user = await app.NewDirectUserAsync();
        var answer = await user.PostAsync(new { content = "hello\0world" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("validation_error", answer.ErrorCode);
        Assert.Equal("content", answer.Json.GetProperty("error").GetProperty("details").GetProperty("field").GetString());
    }
}
