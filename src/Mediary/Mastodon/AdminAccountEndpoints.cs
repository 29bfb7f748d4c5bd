using System.Globalization;
using Mediary.Auth;
using Mediary.Media;
using Mediary.Web;

namespace Mediary.Mastodon;

/// <summary>The admin API's accounts: who they are and what each stores (the usage the quotas count).</summary>
public static class AdminAccountEndpoints
{
    public static RouteGroupBuilder MapAdminAccounts(this RouteGroupBuilder admin)
    {
        admin.Needing("admin:read", "admin:read:accounts").MapGet("/accounts", async (HttpContext http, AccountStore accounts, StorageQuota quota,
            MediaUrls urls, CancellationToken ct) =>
        {
            var (limit, maxId) = AdminEndpoints.Page(http.Request);
            var page = await accounts.PageAsync(limit, maxId, ct);
            var usage = (await quota.UsageOfAccountsAsync([.. page.Select(account => account.Id)], ct)).ToDictionary(found => found.AccountId);
            if (page.Count == limit) AdminEndpoints.LinkNext(http, urls, "/accounts", limit, page[^1].Id);
            return AdminEndpoints.Json(page.Select(account => Json(account, usage.GetValueOrDefault(account.Id)?.Usage
                ?? new StorageUsage(0, 0, quota.Limit, 0))));
        });
        return admin;
    }

    public static Dictionary<string, object?> Json(Account account, StorageUsage usage) => new()
    {
        ["id"] = account.Id.ToString(CultureInfo.InvariantCulture),
        ["username"] = account.Username,
        ["email"] = account.Email,
        ["admin"] = account.Admin,
        ["created_at"] = AdminEndpoints.Time(account.CreatedAt),
        ["usage"] = UsageJson.Of(usage),
    };
}
