using System.Net;
using Mediary.Auth;
using Mediary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Mastodon;

/// <summary>
/// A refused sign-up as Mastodon 4.4 answers it: 422, Rails' "Validation failed: ..." with the
/// messages in the order its validations run, and ValidationErrorFormatter's details per field.
/// </summary>
public sealed class RegistrationValidationTests(OpenRegistrationsApp app) : IClassFixture<OpenRegistrationsApp>
{
    private static void AssertRefused(Answer answer, string message, params (string Field, string Code, string Description)[] details)
    {
        Assert.True(answer.Status == HttpStatusCode.UnprocessableEntity, answer.ToString());
        Assert.Equal(["error", "details"], answer.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Validation failed: " + message, answer.Error);
        var expected = details.GroupBy(d => d.Field).ToDictionary(g => g.Key, g => g.Select(d => (d.Code, d.Description)).ToList());
        var actual = answer.Json.GetProperty("details").EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.EnumerateArray().Select(e => (e.GetProperty("error").GetString()!, e.GetProperty("description").GetString()!)).ToList());
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (field, errors) in expected) Assert.Equal(errors, actual[field]);
    }

    [Fact]
    public async Task Bad_fields_get_Mastodons_messages_in_its_order_and_nothing_is_created()
    {
        using var http = await SignUps.AppClientAsync(app);
        var answer = await http.SignUpAsync(SignUps.Form("bad name!", ("email", "nope"), ("password", "short"), ("agreement", null), ("locale", "xx")));
        AssertRefused(answer,
            "E-mail address is invalid, Password is too short (minimum is 8 characters), Username must contain only letters, numbers and underscores, Service agreement must be accepted",
            ("email", "ERR_INVALID", "is invalid"),
            ("password", "ERR_TOO_SHORT", "is too short (minimum is 8 characters)"),
            ("username", "ERR_INVALID", "must contain only letters, numbers and underscores"),
            ("agreement", "ERR_ACCEPTED", "must be accepted"));
        Assert.DoesNotContain("bad name!", app.RunCli("accounts", "list").Stdout);
    }

    [Fact]
    public async Task Nothing_filled_in_names_every_field_and_a_blank_address_twice_as_Rails_does()
    {
        using var http = await SignUps.AppClientAsync(app);
        var answer = await http.SignUpAsync(new FormUrlEncodedContent([]));
        // Devise's presence check and User's own both name a blank address; User's address check finds it invalid.
        AssertRefused(answer,
            "E-mail address can't be blank, Password can't be blank, Username can't be blank, E-mail address can't be blank, E-mail address is invalid, Service agreement must be accepted",
            ("email", "ERR_BLANK", "can't be blank"),
            ("password", "ERR_BLANK", "can't be blank"),
            ("username", "ERR_BLANK", "can't be blank"),
            ("email", "ERR_BLANK", "can't be blank"),
            ("email", "ERR_INVALID", "is invalid"),
            ("agreement", "ERR_ACCEPTED", "must be accepted"));
    }

    [Fact]
    public async Task A_taken_name_in_any_case_and_a_taken_address_in_any_case_get_422()
    {
        using var http = await SignUps.AppClientAsync(app);
        var name = SignUps.NewName();
        Assert.Equal(HttpStatusCode.OK, (await http.SignUpAsync(SignUps.Form(name))).Status);

        var again = await http.SignUpAsync(SignUps.Form(name.ToUpperInvariant(), ("email", $"{name}@EXAMPLE.com")));
        AssertRefused(again, "E-mail address has already been taken, Username has already been taken",
            ("email", "ERR_TAKEN", "has already been taken"), ("username", "ERR_TAKEN", "has already been taken"));
        Assert.Single(await app.Services.GetRequiredService<AccountStore>().ListAsync(), a => a.Username.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("yes")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("")]
    public async Task Only_true_or_1_accepts_the_agreement_as_Mastodon_lists_them(string agreement)
    {
        using var http = await SignUps.AppClientAsync(app);
        var answer = await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("agreement", agreement)));
        AssertRefused(answer, "Service agreement must be accepted", ("agreement", "ERR_ACCEPTED", "must be accepted"));

        var accepted = await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("agreement", "1")));
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.ToString());
    }

    [Fact]
    public async Task Names_too_long_or_reserved_and_passwords_too_long_are_refused()
    {
        using var http = await SignUps.AppClientAsync(app);
        AssertRefused(await http.SignUpAsync(SignUps.Form(new string('a', 31), ("email", SignUps.NewName() + "@example.com"))),
            "Username is too long (maximum is 30 characters)", ("username", "ERR_TOO_LONG", "is too long (maximum is 30 characters)"));
        AssertRefused(await http.SignUpAsync(SignUps.Form("Admin", ("email", SignUps.NewName() + "@example.com"))),
            "Username is reserved", ("username", "ERR_RESERVED", "is reserved"));
        AssertRefused(await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("password", new string('p', 73)))),
            "Password is too long (maximum is 72 characters)", ("password", "ERR_TOO_LONG", "is too long (maximum is 72 characters)"));
        AssertRefused(await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("password", "        "))),
            "Password can't be blank", ("password", "ERR_BLANK", "can't be blank"));
    }

    [Fact]
    public async Task Lengths_count_characters_and_an_address_needs_no_dot()
    {
        using var http = await SignUps.AppClientAsync(app);
        // 72 characters but 144 UTF-16 units: as long as Rails allows.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F511", 72));
        var name = SignUps.NewName();
        var answer = await http.SignUpAsync(SignUps.Form(name, ("password", emoji), ("email", $"{name}@localhost")));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.NotNull((await app.Services.GetRequiredService<AccountStore>().CheckPasswordAsync($"{name}@localhost", emoji)).Account);
    }

    [Fact]
    public async Task A_display_name_around_the_address_is_invalid_twice()
    {
        using var http = await SignUps.AppClientAsync(app);
        var answer = await http.SignUpAsync(SignUps.Form(SignUps.NewName(), ("email", "Someone <someone@example.com>")));
        AssertRefused(answer, "E-mail address is invalid, E-mail address is invalid",
            ("email", "ERR_INVALID", "is invalid"), ("email", "ERR_INVALID", "is invalid"));
    }
}
