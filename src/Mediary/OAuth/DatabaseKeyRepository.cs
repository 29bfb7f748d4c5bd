using System.Xml.Linq;
using Dapper;
using Mediary.Data;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Mediary.OAuth;

/// <summary>
/// ASP.NET Core's data protection keys (which seal the sign-in cookie and the antiforgery tokens)
/// kept in the database, so that every API process sharing it reads the other's cookies and a
/// restart signs nobody out. The key ring is read once and then cached by the framework.
/// </summary>
public sealed class DatabaseKeyRepository(IDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at").Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        connection.Execute("INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @createdAt) ON CONFLICT (name) DO NOTHING",
            new { name = friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), createdAt = DateTimeOffset.UtcNow.ToString("O") });
    }
}
