using System.Globalization;
using System.Security.Cryptography;
using Mediary.Auth;
using Mediary.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Mediary.OAuth;

/// <summary>
/// Who is signed in on the sign-in and consent pages: a cookie holding the account id, sealed
/// (authenticated encryption, with an expiry) by ASP.NET Core's data protection, whose keys are in
/// the database so every API process reads it. Only those pages read it: no authentication
/// middleware runs on the API's hot paths. The cookie is HttpOnly, SameSite=Lax and, on HTTPS, Secure.
/// </summary>
public static class SignInSession
{
    public const string CookieName = "mediary_session";
    private const string Purpose = "Mediary.SignIn.v1";

    public static IServiceCollection AddSignInPages(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Mediary");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IDatabase>())));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "mediary_csrf";
            antiforgery.FormFieldName = "authenticity_token";
            antiforgery.HeaderName = null;
        });
        return services;
    }

    /// <summary>The signed-in account, or null; an account removed since the sign-in counts as signed out.</summary>
    public static async Task<Account?> CurrentAsync(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var sealedValue) || string.IsNullOrEmpty(sealedValue)) return null;
        string opened;
        try
        {
            opened = Protector(http).Unprotect(sealedValue);
        }
        catch (CryptographicException)
        {
            return null; // expired, tampered with, or sealed by a key that is gone
        }
        return long.TryParse(opened, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await http.RequestServices.GetRequiredService<AccountStore>().FindAsync(id)
            : null;
    }

    public static void SignIn(HttpContext http, Account account)
    {
        var lifetime = TimeSpan.FromDays(http.RequestServices.GetRequiredService<IOptions<OAuthOptions>>().Value.SessionLifetimeDays);
        var value = Protector(http).Protect(account.Id.ToString(CultureInfo.InvariantCulture), lifetime);
        http.Response.Cookies.Append(CookieName, value, Options(http, DateTimeOffset.UtcNow + lifetime));
    }

    public static void SignOut(HttpContext http) => http.Response.Cookies.Delete(CookieName, Options(http, expires: null));

    private static ITimeLimitedDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).ToTimeLimitedDataProtector();

    private static CookieOptions Options(HttpContext http, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = http.Request.IsHttps,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };
}
