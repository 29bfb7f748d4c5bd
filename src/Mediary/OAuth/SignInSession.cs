using System.Security.Claims;
using Mediary.Auth;
using Mediary.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Mediary.OAuth;

/// <summary>
/// Who is signed in on the sign-in and consent pages: ASP.NET Core's cookie authentication,
/// asked explicitly by those pages only (no authentication middleware runs on the API's hot paths).
/// The cookie is HttpOnly, SameSite=Lax and, on HTTPS, Secure; its keys are in the database.
/// </summary>
public static class SignInSession
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    private const string AccountIdClaim = "mediary:account_id";

    public static IServiceCollection AddSignInPages(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Mediary");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(keys => keys.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IDatabase>())));
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "mediary_csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.FormFieldName = "authenticity_token";
            antiforgery.HeaderName = null;
        });
        services.AddAuthentication(Scheme).AddCookie(Scheme, _ => { });
        services.AddSingleton<IConfigureOptions<CookieAuthenticationOptions>>(sp => new ConfigureNamedOptions<CookieAuthenticationOptions>(Scheme, cookie =>
        {
            var lifetime = TimeSpan.FromDays(sp.GetRequiredService<IOptions<OAuthOptions>>().Value.SessionLifetimeDays);
            cookie.Cookie.Name = "mediary_session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = lifetime;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/auth/sign_in";
            cookie.ReturnUrlParameter = "return_to";
        }));
        return services;
    }

    /// <summary>The signed-in account, or null; an account removed since the sign-in counts as signed out.</summary>
    public static async Task<Account?> CurrentAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(Scheme);
        if (!result.Succeeded || result.Principal.FindFirstValue(AccountIdClaim) is not { } value || !long.TryParse(value, out var id)) return null;
        return await http.RequestServices.GetRequiredService<AccountStore>().FindAsync(id);
    }

    public static Task SignInAsync(HttpContext http, Account account)
    {
        var identity = new ClaimsIdentity([new Claim(AccountIdClaim, account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, account.Username)], Scheme);
        return http.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
    }

    public static Task SignOutAsync(HttpContext http) => http.SignOutAsync(Scheme);
}
