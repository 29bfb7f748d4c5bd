using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Mediary.Data;

/// <summary>The data steps of migrations that SQL alone cannot do on both engines (new ids, JSON).</summary>
internal static class SchemaUpgrades
{
    /// <summary>
    /// Version 9: each ready PDF of the direct face becomes a core media of type <c>document</c>
    /// that keeps its stored files (their keys do not change, so nothing is copied) and its page
    /// count in <c>meta.original.pages</c>.
    /// </summary>
    public static async Task MoveDocumentsToCoreAsync(DbConnection connection, DbTransaction transaction)
    {
        var documents = await connection.QueryAsync<(string Id, long AccountId, long? Size, long? Pages, string? FileKey, string? ThumbnailKey,
            string CreatedAt)>(
            "SELECT id, account_id, size, pages, file_key, thumbnail_key, created_at FROM direct_media WHERE kind = 'document' AND state = 'ready'",
            transaction: transaction);
        foreach (var document in documents)
        {
            var created = DateTimeOffset.Parse(document.CreatedAt, System.Globalization.CultureInfo.InvariantCulture).ToString("O");
            var meta = JsonSerializer.Serialize(new { original = new { pages = document.Pages } });
            await connection.ExecuteAsync("""
                INSERT INTO media_attachments (id, account_id, type, processing, file_key, file_content_type, file_size, small_key,
                    file_name, meta, direct_id, created_at, updated_at)
                VALUES (@coreId, @AccountId, 'document', 'complete', @FileKey, 'application/pdf', @Size, @ThumbnailKey,
                    @name, @meta, @directId, @created, @created)
                """, new
            {
                coreId = SnowflakeId.Next(),
                document.AccountId,
                document.FileKey,
                document.Size,
                document.ThumbnailKey,
                name = Path.GetFileNameWithoutExtension(document.FileKey),
                meta,
                directId = document.Id,
                created,
            }, transaction);
        }
    }
}
