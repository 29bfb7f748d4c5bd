using System.Text.Json;
using Dapper;
using Mediary.Data;
using Microsoft.Extensions.Options;

namespace Mediary.Direct;

public sealed record DirectPost(string Id, long AccountId, string Content, string MediaIds, string CreatedAt)
{
    public IReadOnlyList<string> MediaIdList => JsonSerializer.Deserialize<string[]>(MediaIds) ?? [];
}

/// <summary>Posts of the direct face: content plus ready media of the same account, each media in one post at most.</summary>
public sealed class DirectPostService(IDatabase database, DirectMediaService media, IOptions<DirectOptions> options, TimeProvider clock)
{
    private const string Columns = "id, account_id AS AccountId, content, media_ids AS MediaIds, created_at AS CreatedAt";

    public async Task<DirectPost> CreateAsync(long accountId, string content, IReadOnlyList<string> mediaIds, CancellationToken cancellationToken)
    {
        if (content.Length > options.Value.PostMaxCharacters)
        {
            throw DirectApiException.Validation("content", $"content is {content.Length} characters; the limit is {options.Value.PostMaxCharacters}.");
        }
        if (mediaIds.Count > options.Value.PostMaxMedia)
        {
            throw DirectApiException.Validation("media_ids", $"A post takes at most {options.Value.PostMaxMedia} media.");
        }
        if (content.Trim().Length == 0 && mediaIds.Count == 0)
        {
            throw DirectApiException.Validation("content", "A post needs content, media_ids, or both.");
        }
        if (mediaIds.Distinct().Count() != mediaIds.Count) throw DirectApiException.Validation("media_ids", "media_ids lists the same media twice.");

        var canonical = new List<string>(mediaIds.Count);
        foreach (var id in mediaIds)
        {
            DirectMediaView view;
            try
            {
                view = await media.GetAsync(accountId, id, cancellationToken);
            }
            catch (DirectApiException e) when (e.Code == DirectErrorCodes.NotFound)
            {
                throw DirectApiException.Validation("media_ids", $"Media {id} was not found; upload it with POST /v1/media/upload first.");
            }
            if (view.Status != DirectStates.Ready)
            {
                throw DirectApiException.Validation("media_ids",
                    $"Media {id} is {view.Status}, not ready; poll GET /v1/media/{id} until its status is ready.");
            }
            if (view.Media.PostId is not null) throw DirectApiException.Validation("media_ids", $"Media {id} is already attached to another post.");
            canonical.Add(view.Media.Id);
        }

        var post = new DirectPost(Guid.CreateVersion7().ToString(), accountId, content, JsonSerializer.Serialize(canonical),
            DirectEnvelope.Timestamp(clock.GetUtcNow()));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO direct_posts (id, account_id, content, media_ids, created_at) VALUES (@Id, @AccountId, @Content, @MediaIds, @CreatedAt)",
            post, transaction, cancellationToken: cancellationToken));
        if (canonical.Count > 0)
        {
            // Deleted or attached elsewhere since the checks above: nothing is written.
            var attached = await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE direct_media SET post_id = @postId WHERE id {database.InList("@ids")} AND account_id = @accountId AND post_id IS NULL",
                new { postId = post.Id, ids = canonical.ToArray(), accountId }, transaction, cancellationToken: cancellationToken));
            if (attached != canonical.Count) throw DirectApiException.Validation("media_ids", "Some of the media changed meanwhile; try again.");
        }
        await transaction.CommitAsync(cancellationToken);
        return post;
    }

    public async Task<DirectPost> GetAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var parsed)) throw DirectApiException.NotFound("Post");
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<DirectPost>(new CommandDefinition(
                $"SELECT {Columns} FROM direct_posts WHERE id = @id AND account_id = @accountId", new { id = parsed.ToString(), accountId },
                cancellationToken: cancellationToken))
            ?? throw DirectApiException.NotFound("Post");
    }

    /// <summary>Deletes the post; its media stay, and become deletable again.</summary>
    public async Task DeleteAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var post = await GetAsync(accountId, id, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE direct_media SET post_id = NULL WHERE post_id = @id", new { id = post.Id },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM direct_posts WHERE id = @id", new { id = post.Id }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }
}
