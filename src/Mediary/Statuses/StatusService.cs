using System.Globalization;
using Mediary.Configuration;
using Mediary.Data;
using Mediary.Media;
using Microsoft.Extensions.Options;

namespace Mediary.Statuses;

/// <summary>Posting, reading, editing and deleting statuses with media, following Mastodon's PostStatusService.</summary>
public sealed class StatusService(StatusRepository statuses, MediaRepository media, MediaService mediaService, IOptions<StatusOptions> options)
{
    private const int MaxAttachments = 4;
    private static readonly string[] Visibilities = ["public", "unlisted", "private", "direct"];

    public async Task<(Status Status, IReadOnlyList<MediaAttachment> Media)> CreateAsync(long accountId, StatusInput input,
        string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The same Idempotency-Key within an hour returns the first status.
        if (!string.IsNullOrEmpty(idempotencyKey) && await statuses.FindByIdempotencyKeyAsync(accountId, idempotencyKey, cancellationToken) is { } earlier
            && await statuses.FindAsync(earlier, cancellationToken) is { } replay)
        {
            return (replay, await MediaOfAsync(replay, cancellationToken));
        }

        var attached = await ValidateMediaAsync(accountId, input.MediaIds, statusId: null, cancellationToken);
        if (string.IsNullOrWhiteSpace(input.Text) && attached.Count == 0) throw MediaException.Invalid(StatusMessages.TextBlank);
        CheckText(input.Text, input.SpoilerText, input.Language);
        var visibility = input.Visibility ?? "public";
        if (!Visibilities.Contains(visibility)) throw MediaException.Invalid("Validation failed: Visibility is not included in the list");

        var status = new Status
        {
            Id = SnowflakeId.Next(),
            AccountId = accountId,
            Text = input.Text ?? "",
            Sensitive = input.Sensitive ?? false,
            SpoilerText = input.SpoilerText ?? "",
            Visibility = visibility,
            Language = string.IsNullOrEmpty(input.Language) ? null : input.Language,
            MediaIds = string.Join(',', attached.Select(m => m.Id)),
            CreatedAt = DateTimeOffset.UtcNow.ToString("O"),
        };
        if (!await statuses.InsertAsync(status, attached.Select(m => m.Id).ToList(), idempotencyKey, cancellationToken))
        {
            throw MediaException.Invalid(StatusMessages.NotFound(attached.Select(m => m.Id)));
        }
        return (status, await MediaOfAsync(status, cancellationToken));
    }

    private void CheckText(string? text, string? spoilerText, string? language)
    {
        if (StatusText.Error(text, spoilerText, language, options.Value.MaxCharacters) is { } error) throw MediaException.Invalid(error);
    }

    /// <summary>
    /// A status as <paramref name="viewerId"/> may see it (Mastodon's StatusPolicy#show?): public and
    /// unlisted ones to anyone; private (followers) and direct (mentioned) ones only to their author
    /// here, since Mediary has neither follows nor mentions. Others are not found, as in Mastodon.
    /// </summary>
    public async Task<(Status Status, IReadOnlyList<MediaAttachment> Media)> GetAsync(long viewerId, string id, CancellationToken cancellationToken)
    {
        var status = await FindAsync(id, cancellationToken);
        if (status.Visibility is not ("public" or "unlisted") && status.AccountId != viewerId) throw MediaException.NotFound();
        return (status, await MediaOfAsync(status, cancellationToken));
    }

    /// <summary>
    /// A page of <paramref name="accountId"/>'s statuses as <paramref name="viewerId"/> may see them
    /// (Mastodon's AccountStatusesFilter): all of them to their author, public and unlisted ones to
    /// anyone else, each with its media in order. Mediary has no pins and no hashtags, so asking for
    /// pinned statuses or for those tagged with any tag finds none, as Mastodon finds none without them.
    /// </summary>
    public async Task<IReadOnlyList<(Status Status, IReadOnlyList<MediaAttachment> Media)>> ListByAccountAsync(long viewerId, long accountId,
        AccountStatusesFilter filter, IdPage page, CancellationToken cancellationToken)
    {
        if (filter.Pinned || filter.Tagged) return [];
        var found = await statuses.ListByAccountAsync(accountId, publicOnly: viewerId != accountId, filter.OnlyMedia, page, cancellationToken);
        var byStatus = (await media.ListByStatusesAsync(found.Select(s => s.Id).ToList(), cancellationToken))
            .GroupBy(m => m.StatusId!.Value).ToDictionary(g => g.Key, g => g.ToDictionary(m => m.Id));
        return found.Select(status =>
        {
            var own = byStatus.GetValueOrDefault(status.Id) ?? [];
            return (status, (IReadOnlyList<MediaAttachment>)status.OrderedMediaIds.Where(own.ContainsKey).Select(id => own[id]).ToList());
        }).ToList();
    }

    public async Task<(Status Status, IReadOnlyList<MediaAttachment> Media)> UpdateAsync(long accountId, string id, StatusInput input,
        CancellationToken cancellationToken)
    {
        var status = await FindOwnAsync(accountId, id, cancellationToken);
        var oldIds = status.OrderedMediaIds;
        var attached = input.MediaIds is null
            ? await MediaOfAsync(status, cancellationToken)
            : await ValidateMediaAsync(accountId, input.MediaIds, status.Id, cancellationToken);
        var text = input.Text ?? status.Text;
        if (string.IsNullOrWhiteSpace(text) && attached.Count == 0) throw MediaException.Invalid(StatusMessages.TextBlank);
        CheckText(text, input.SpoilerText ?? status.SpoilerText, input.Language ?? status.Language);

        status.Text = text;
        status.Sensitive = input.Sensitive ?? status.Sensitive;
        status.SpoilerText = input.SpoilerText ?? status.SpoilerText;
        status.Language = input.Language ?? status.Language;
        status.MediaIds = string.Join(',', attached.Select(m => m.Id));
        status.EditedAt = DateTimeOffset.UtcNow.ToString("O");
        if (!await statuses.UpdateAsync(status, oldIds.ToList(), attached.Select(m => m.Id).ToList(), cancellationToken))
        {
            throw MediaException.Invalid(StatusMessages.NotFound(attached.Select(m => m.Id)));
        }

        // media_attributes[]: description and focus of media now attached to this status.
        foreach (var attributes in input.MediaAttributes)
        {
            if (!long.TryParse(attributes.Id, out var mediaId) || !attached.Any(m => m.Id == mediaId)) continue;
            var edit = new MediaInput
            {
                Description = attributes.Description is null ? TextInput.Absent : new TextInput(attributes.Description),
                Focus = attributes.Focus is null ? TextInput.Absent : new TextInput(attributes.Focus),
                Thumbnail = attributes.Thumbnail,
            };
            await mediaService.UpdateAttachedAsync(accountId, mediaId, status.Id, edit, cancellationToken);
        }
        return (status, await MediaOfAsync(status, cancellationToken));
    }

    /// <summary>Deletes the status; with <paramref name="deleteMedia"/> its media and files too, else they are kept (redraft).</summary>
    public async Task<(Status Status, IReadOnlyList<MediaAttachment> Media)> DeleteAsync(long accountId, string id, bool deleteMedia,
        CancellationToken cancellationToken)
    {
        var status = await FindOwnAsync(accountId, id, cancellationToken);
        var attached = await MediaOfAsync(status, cancellationToken);
        await statuses.DeleteAsync(status, cancellationToken);
        if (deleteMedia)
        {
            foreach (var item in attached) await mediaService.DeleteAsync(accountId, item.Id.ToString(), cancellationToken);
        }
        return (status, attached);
    }

    /// <summary>Mastodon's validate_media!, in its order.</summary>
    private async Task<IReadOnlyList<MediaAttachment>> ValidateMediaAsync(long accountId, IReadOnlyList<string>? ids, long? statusId,
        CancellationToken cancellationToken)
    {
        if (ids is null || ids.Count == 0) return [];
        if (ids.Count > MaxAttachments) throw MediaException.Invalid(StatusMessages.TooMany);

        // Mastodon: `media_ids.map(&:to_i) - found.map(&:id)`, named in the error as to_i read them
        // (an id past the 64-bit range is kept whole, non-numeric ones are 0); found once each, in order.
        var asRead = ids.Select(RubyInteger.ToI).ToList();
        var found = new List<MediaAttachment>();
        foreach (var id in asRead.Distinct())
        {
            if (!long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var numeric)) continue;
            var item = await media.FindAsync(accountId, numeric, cancellationToken);
            if (item is not null && (item.StatusId is null || item.StatusId == statusId)) found.Add(item);
        }
        var missing = asRead.Where(id => found.All(m => m.Id.ToString(CultureInfo.InvariantCulture) != id)).ToList();
        if (missing.Count > 0) throw MediaException.Invalid(StatusMessages.NotFound(missing));
        // gifv counts as an image: only video and audio must be alone.
        if (found.Count > 1 && found.Any(m => m.Type is MediaTypes.Video or MediaTypes.Audio)) throw MediaException.Invalid(StatusMessages.ImagesAndVideo);
        if (found.Any(m => !m.IsProcessed)) throw MediaException.Invalid(StatusMessages.NotReady);
        return found;
    }

    private async Task<IReadOnlyList<MediaAttachment>> MediaOfAsync(Status status, CancellationToken cancellationToken)
    {
        var byId = (await media.ListByStatusAsync(status.Id, cancellationToken)).ToDictionary(m => m.Id);
        return status.OrderedMediaIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
    }

    private async Task<Status> FindAsync(string id, CancellationToken cancellationToken) =>
        long.TryParse(id, out var numeric) && await statuses.FindAsync(numeric, cancellationToken) is { } status
            ? status
            : throw MediaException.NotFound();

    private async Task<Status> FindOwnAsync(long accountId, string id, CancellationToken cancellationToken)
    {
        var status = await FindAsync(id, cancellationToken);
        return status.AccountId == accountId ? status : throw MediaException.NotFound();
    }
}
