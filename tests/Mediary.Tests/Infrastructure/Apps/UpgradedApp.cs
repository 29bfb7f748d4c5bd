using System.Data.Common;
using Dapper;
using Mediary.Data;
using Mediary.Media;

namespace Mediary.Tests.Infrastructure;

/// <summary>A server started on data the old version wrote: schema version 8, PostgreSQL numbered 1 to 3.</summary>
public sealed class UpgradedApp() : MediaryApp(bucket: null, new() { ["Storage:Provider"] = "Local" })
{
    /// <summary>Ids and keys of what the old version wrote.</summary>
    public sealed record OldData(long AccountId, long ImageId, string ImageKey, long VideoId, string DirectImageId, long DirectImageCoreId,
        string DocumentId, string DirectVideoId, string PostId);

    public OldData Old { get; private set; } = null!;

    public new async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await using (var connection = await Database.OpenAsync())
        {
            Old = await WriteOldDataAsync(connection, Database.PostgresConnectionString is not null, Path.Combine(DataDirectory, "media"));
        }
        await base.InitializeAsync();
    }

    private static async Task<OldData> WriteOldDataAsync(DbConnection connection, bool postgres, string media)
    {
        const int oldVersion = 8;
        foreach (var migration in Schema.Migrations.Take(oldVersion)) await connection.ExecuteAsync(migration.SqlFor(postgres));
        if (postgres)
        {
            await connection.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
            for (var version = 1; version <= oldVersion - Schema.LegacyPostgresOffset; version++)
            {
                await connection.ExecuteAsync("INSERT INTO schema_migrations VALUES (@version, '2026-11-30T00:00:00Z')", new { version });
            }
        }
        else
        {
            await connection.ExecuteAsync($"PRAGMA user_version = {oldVersion}");
        }

        var now = DateTimeOffset.UtcNow.ToString("O");
        var account = SnowflakeId.Next();
        await connection.ExecuteAsync("INSERT INTO accounts (id, username, created_at) VALUES (@account, 'old', @now)", new { account, now });

        var image = SnowflakeId.Next();
        var imageKey = MediaKeys.Original(image, "00000000000000aa", "png");
        Store(media, imageKey, "600x400.png");
        await InsertMediaAsync(connection, image, account, "image", "complete", imageKey, null, null, now);

        var video = SnowflakeId.Next();
        var pendingKey = MediaKeys.Source(video, "00000000000000bb", "mp4");
        Store(media, pendingKey, "h264-aac.mp4");
        await InsertMediaAsync(connection, video, account, "video", "queued", null, pendingKey, null, now);
        await connection.ExecuteAsync("""
            INSERT INTO media_jobs (id, media_id, state, attempts, max_attempts, run_after, created_at, updated_at)
            VALUES (@id, @video, 'queued', 0, 3, @now, @now, @now)
            """, new { id = SnowflakeId.Next(), video, now });

        var directImage = Guid.CreateVersion7().ToString();
        var directImageCore = SnowflakeId.Next();
        var directImageKey = MediaKeys.Original(directImageCore, "00000000000000cc", "png");
        Store(media, directImageKey, "600x400.png");
        await InsertMediaAsync(connection, directImageCore, account, "image", "complete", directImageKey, null, directImage,
            DateTimeOffset.UtcNow.AddDays(-3).ToString("O"));
        await InsertDirectAsync(connection, directImage, account, "image", "image/png", "processing", null, null);

        var document = Guid.CreateVersion7().ToString();
        var documentKey = $"media_attachments/documents/{document}/original/00000000000000dd.pdf";
        var thumbnailKey = $"media_attachments/documents/{document}/small/00000000000000dd.png";
        Store(media, documentKey, "document.pdf");
        Store(media, thumbnailKey, "600x400.png");
        await InsertDirectAsync(connection, document, account, "document", "application/pdf", "ready", documentKey, thumbnailKey);

        var directVideo = Guid.CreateVersion7().ToString();
        Store(media, $"direct_uploads/{directVideo}", "h264-aac.mp4");
        await InsertDirectAsync(connection, directVideo, account, "video", null, "verifying", null, null);
        await connection.ExecuteAsync("""
            INSERT INTO media_jobs (id, media_id, direct_id, state, attempts, max_attempts, run_after, created_at, updated_at)
            VALUES (@id, 0, @directVideo, 'queued', 0, 3, @now, @now, @now)
            """, new { id = SnowflakeId.Next(), directVideo, now });

        var post = Guid.CreateVersion7().ToString();
        await connection.ExecuteAsync("INSERT INTO direct_posts (id, account_id, content, media_ids, created_at) VALUES (@post, @account, 'Hi', @ids, @now)",
            new { post, account, ids = $"[\"{document}\"]", now });
        await connection.ExecuteAsync("UPDATE direct_media SET post_id = @post WHERE id = @document", new { post, document });
        return new OldData(account, image, imageKey, video, directImage, directImageCore, document, directVideo, post);
    }

    private static void Store(string media, string key, string fixture)
    {
        var path = Path.Combine(media, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(Fixtures.Path(fixture), path);
    }

    private static Task InsertMediaAsync(DbConnection connection, long id, long account, string type, string processing, string? fileKey,
        string? sourceKey, string? directId, string created) =>
        connection.ExecuteAsync("""
            INSERT INTO media_attachments (id, account_id, type, processing, file_key, file_content_type, file_size, small_key, meta,
                source_key, file_name, direct_id, created_at, updated_at)
            VALUES (@id, @account, @type, @processing, @fileKey, @contentType, 100, NULL, @meta, @sourceKey, @name, @directId, @created, @created)
            """, new
        {
            id,
            account,
            type,
            processing,
            fileKey,
            contentType = type == "image" ? "image/png" : "video/mp4",
            meta = type == "image" ? """{"original":{"width":600,"height":400,"size":"600x400","aspect":1.5}}""" : null,
            sourceKey,
            name = Path.GetFileNameWithoutExtension(fileKey ?? sourceKey),
            directId,
            created,
        });

    private static Task InsertDirectAsync(DbConnection connection, string id, long account, string kind, string? contentType, string state,
        string? fileKey, string? thumbnailKey)
    {
        var fixture = kind switch { "image" => "600x400.png", "document" => "document.pdf", _ => "h264-aac.mp4" };
        var declared = kind switch { "image" => "image/png", "document" => "application/pdf", _ => "video/mp4" };
        return connection.ExecuteAsync("""
            INSERT INTO direct_media (id, account_id, kind, filename, declared_type, declared_size, state, content_type, size, pages,
                file_key, thumbnail_key, expires_at, created_at)
            VALUES (@id, @account, @kind, @filename, @declared, @size, @state, @contentType, @size, @pages, @fileKey, @thumbnailKey,
                @expires, @created)
            """, new
        {
            id,
            account,
            kind,
            filename = fixture,
            declared,
            size = new FileInfo(Fixtures.Path(fixture)).Length,
            state,
            contentType,
            pages = kind == "document" ? 1 : (long?)null,
            fileKey,
            thumbnailKey,
            expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
            created = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"),
        });
    }
}
