namespace Mediary.Statuses;

/// <summary>A post that attaches media. <see cref="MediaIds"/> keeps the client's order.</summary>
public sealed class Status
{
    public long Id { get; set; }
    public long AccountId { get; set; }
    public string Text { get; set; } = "";
    public bool Sensitive { get; set; }
    public string SpoilerText { get; set; } = "";
    public string Visibility { get; set; } = "public";
    public string? Language { get; set; }
    public string MediaIds { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? EditedAt { get; set; }

    public IReadOnlyList<long> OrderedMediaIds =>
        MediaIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList();
}

/// <summary>What a client asked for in POST or PUT /api/v1/statuses; disposing removes uploaded thumbnails.</summary>
public sealed record StatusInput(
    string? Text,
    IReadOnlyList<string>? MediaIds,
    bool? Sensitive,
    string? SpoilerText,
    string? Visibility,
    string? Language,
    IReadOnlyList<MediaAttributesInput> MediaAttributes) : IDisposable
{
    public void Dispose()
    {
        foreach (var attributes in MediaAttributes) attributes.Thumbnail?.Dispose();
    }
}

/// <summary>One element of <c>media_attributes[]</c>: edits of media already attached.</summary>
public sealed record MediaAttributesInput(string Id, string? Description, string? Focus, Media.UploadedFile? Thumbnail = null);

/// <summary>
/// The filters of <c>GET /api/v1/accounts/:id/statuses</c> that change what Mediary answers
/// (exclude_replies and exclude_reblogs never do: there are no replies or reblogs).
/// </summary>
public sealed record AccountStatusesFilter(bool OnlyMedia, bool Pinned, bool Tagged);
