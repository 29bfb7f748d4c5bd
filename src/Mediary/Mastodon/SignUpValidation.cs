using System.Text.RegularExpressions;
using Mediary.Auth;

namespace Mediary.Mastodon;

/// <summary>What an app sent to sign someone up, as read from the request (absent fields are null).</summary>
public sealed record SignUpInput(string? Username, string? Email, string? Password, string? Agreement)
{
    /// <summary>Account: <c>normalizes :username, with: squish</c>: trimmed, inner runs of white space made one space.</summary>
    public string Username { get; } = Squish(Username ?? "");

    /// <summary>Devise's strip_whitespace_keys and case_insensitive_keys for <c>email</c>.</summary>
    public string Email { get; } = AccountStore.NormaliseEmail(Email ?? "");

    public string Password { get; } = Password ?? "";

    private static string Squish(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>One failed validation: the <c>details</c> key, Rails' human attribute name, the ERR_ code and Rails' message.</summary>
public sealed record SignUpError(string Key, string Attribute, string Code, string Description)
{
    /// <summary>Rails' full message, as <c>Validation failed: ...</c> joins them.</summary>
    public string FullMessage => $"{Attribute} {Description}";
}

/// <summary>
/// Mastodon 4.4's validations of a sign-up (User with its nested Account), run in the order Rails
/// runs them, so that the messages come in Mastodon's order: Devise's e-mail and password checks
/// (<c>devise :validatable</c> comes first), then the account's username, then User's own e-mail
/// and agreement checks. Attribute names are those of config/locales/activerecord.en.yml.
/// </summary>
public static partial class SignUpValidation
{
    private const string Email = "E-mail address", Password = "Password", Username = "Username", Agreement = "Service agreement";

    /// <summary>config/settings.yml's reserved_usernames, Mastodon's default (an admin may change it there; not here).</summary>
    private static readonly HashSet<string> ReservedUsernames = new(StringComparer.Ordinal)
    {
        "abuse", "account", "accounts", "admin", "administration", "administrator", "admins", "help", "helpdesk", "instance", "mod",
        "moderator", "moderators", "mods", "owner", "root", "security", "server", "staff", "support", "webmaster",
    };

    public static async Task<IReadOnlyList<SignUpError>> ValidateAsync(SignUpInput input, AccountStore accounts)
    {
        var errors = new List<SignUpError>();
        void Add(string key, string attribute, string code, string description) => errors.Add(new(key, attribute, code, description));

        // Devise: validates_presence_of :email; validates_uniqueness_of :email, allow_blank; validates_format_of :email, allow_blank.
        if (input.Email.Length == 0) Add("email", Email, "BLANK", "can't be blank");
        else
        {
            if (await accounts.EmailTakenAsync(input.Email)) Add("email", Email, "TAKEN", "has already been taken");
            if (!DeviseEmail().IsMatch(input.Email)) Add("email", Email, "INVALID", "is invalid");
        }

        // Devise: validates_presence_of :password; validates_length_of :password, within: 8..72, allow_blank.
        if (string.IsNullOrWhiteSpace(input.Password)) Add("password", Password, "BLANK", "can't be blank");
        else if (Characters(input.Password) < AccountStore.PasswordMinLength)
            Add("password", Password, "TOO_SHORT", $"is too short (minimum is {AccountStore.PasswordMinLength} characters)");
        else if (Characters(input.Password) > AccountStore.PasswordMaxLength)
            Add("password", Password, "TOO_LONG", $"is too long (maximum is {AccountStore.PasswordMaxLength} characters)");

        // Account (account.username, shown as username): presence; UniqueUsernameValidator (any case);
        // format /\A[a-z0-9_]+\z/i and length maximum 30; UnreservedUsernameValidator.
        if (input.Username.Length == 0) Add("username", Username, "BLANK", "can't be blank");
        else
        {
            if (await accounts.UsernameTakenAsync(input.Username)) Add("username", Username, "TAKEN", "has already been taken");
            if (!input.Username.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                Add("username", Username, "INVALID", "must contain only letters, numbers and underscores");
            if (Characters(input.Username) > AccountStore.UsernameMaxLength)
                Add("username", Username, "TOO_LONG", $"is too long (maximum is {AccountStore.UsernameMaxLength} characters)");
            if (ReservedUsernames.Contains(input.Username.ToLowerInvariant())) Add("username", Username, "RESERVED", "is reserved");
        }

        // User: validates :email, presence: true, email_address: true. Rails keeps both presence errors,
        // so a blank address is named twice, as Mastodon names it.
        if (input.Email.Length == 0) Add("email", Email, "BLANK", "can't be blank");
        if (!IsBareAddress(input.Email)) Add("email", Email, "INVALID", "is invalid");

        // User: validates :agreement, acceptance: { allow_nil: false, accept: [true, 'true', '1'] }.
        if (input.Agreement is not ("true" or "1")) Add("agreement", Agreement, "ACCEPTED", "must be accepted");

        // No error for the locale: User normalizes one Mastodon does not know to nil, and signs up.
        return errors;
    }

    /// <summary>ValidationErrorFormatter: Rails' "Validation failed: ..." and, per field in order of first error, its codes and messages.</summary>
    public static IResult Result(IReadOnlyList<SignUpError> errors) => Results.Json(new Dictionary<string, object?>
    {
        ["error"] = "Validation failed: " + string.Join(", ", errors.Select(e => e.FullMessage)),
        ["details"] = errors.GroupBy(e => e.Key).ToDictionary(group => group.Key,
            group => group.Select(e => new Dictionary<string, string> { ["error"] = "ERR_" + e.Code, ["description"] = e.Description }).ToList()),
    }, statusCode: StatusCodes.Status422UnprocessableEntity, contentType: "application/json; charset=utf-8");

    private static int Characters(string text) => AccountStore.Characters(text);

    /// <summary>
    /// EmailAddressValidator: the address must be what the mail gem reads back from it, so no display
    /// name, angle brackets, comments or lists. Approximated by the characters those need.
    /// </summary>
    private static bool IsBareAddress(string address) =>
        address.Length > 0 && address.Count(c => c == '@') <= 1 && !address.Any(c => char.IsWhiteSpace(c) || "<>(),;:\"[]\\".Contains(c));

    /// <summary>Devise's default email_regexp, which Mastodon keeps: no dot needed in the domain (user@localhost is fine).</summary>
    [GeneratedRegex(@"\A[^@\s]+@[^@\s]+\z")]
    private static partial Regex DeviseEmail();
}
