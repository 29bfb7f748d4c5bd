using System.Net;
using Mediary.Tests.Infrastructure;

namespace Mediary.Tests.Cli;

/// <summary>Passwords and the admin flag set on the command line, then used on the sign-in page of the running server.</summary>
public sealed class AccountPasswordTests(MediaryApp app) : IClassFixture<MediaryApp>
{
    private async Task<HttpStatusCode> SignInAsync(string login, string password)
    {
        using var browser = new Browser(app);
        var form = await browser.GetAsync("/auth/sign_in");
        return (await browser.SubmitAsync(form, "/auth/sign_in", ("username", login), ("password", password))).Status;
    }

    [Fact]
    public async Task An_account_created_with_a_password_from_stdin_signs_in_and_set_password_replaces_it()
    {
        _ = app.Server;
        var name = "pw" + Guid.NewGuid().ToString("N")[..8];
        var created = Tools.RunMediaryWithInput(app.DataDirectory, app.Environment, "first secret 1\n",
            "accounts", "create", name, "--email", $"{name}@Example.org", "--password-stdin");
        Assert.True(created.ExitCode == 0, created.Stderr);
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(name, "first secret 1"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync($"{name}@example.org", "first secret 1"));

        var changed = Tools.RunMediaryWithInput(app.DataDirectory, app.Environment, "second secret 2\n", "accounts", "set-password", name);
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(name, "first secret 1"));
        Assert.Equal(HttpStatusCode.Redirect, await SignInAsync(name, "second secret 2"));

        var listed = app.RunCli("accounts", "list").Stdout.Split('\n').Single(line => line.Contains(name));
        Assert.Contains($"{name}@example.org", listed);
    }

    [Fact]
    public void Short_passwords_taken_names_and_unknown_accounts_are_one_line_errors()
    {
        var name = "pw" + Guid.NewGuid().ToString("N")[..8];
        var tooShort = app.RunCli("accounts", "create", name, "--password", "short");
        Assert.Equal(1, tooShort.ExitCode);
        Assert.Contains("at least 8 characters", tooShort.Stderr);

        Assert.Equal(0, app.RunCli("accounts", "create", name, "--password", "long enough 1").ExitCode);
        var taken = app.RunCli("accounts", "create", name.ToUpperInvariant());
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("already exists", taken.Stderr);

        var unknown = app.RunCli("accounts", "set-password", "nobody_" + name, "--password", "long enough 1");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no account", unknown.Stderr);
    }

    [Fact]
    public void The_admin_flag_is_set_at_creation_or_later_and_shown_in_the_list()
    {
        var name = "adm" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, app.RunCli("accounts", "create", name, "--admin").ExitCode);
        Assert.Contains("\tadmin\t", app.RunCli("accounts", "list").Stdout.Split('\n').Single(line => line.Contains(name)));
        Assert.Equal(0, app.RunCli("accounts", "set-admin", name, "false").ExitCode);
        Assert.DoesNotContain("\tadmin\t", app.RunCli("accounts", "list").Stdout.Split('\n').Single(line => line.Contains(name)));
    }

    [Fact]
    public async Task A_taken_address_in_any_case_is_a_one_line_error_and_no_password_option_means_no_password()
    {
        var name = "em" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(0, app.RunCli("accounts", "create", name, "--email", $"{name}@example.org").ExitCode);
        var taken = app.RunCli("accounts", "create", name + "_2", "--email", $" {name.ToUpperInvariant()}@Example.ORG");
        Assert.Equal(1, taken.ExitCode);
        Assert.Equal($"mediary: an account with the e-mail address {name}@example.org already exists", taken.Stderr.Trim());
        Assert.DoesNotContain(name + "_2", app.RunCli("accounts", "list").Stdout);

        // Nothing is asked and nothing read, even with input waiting: the account has no password to sign in with.
        var plain = Tools.RunMediaryWithInput(app.DataDirectory, app.Environment, "typed by mistake\n", "accounts", "create", name + "_3");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInAsync(name + "_3", "typed by mistake"));
    }
}
