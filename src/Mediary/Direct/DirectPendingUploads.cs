using Mediary.Media;

namespace Mediary.Direct;

/// <summary>The bytes of step 2, waiting under <c>direct_uploads/</c> for <c>complete</c>.</summary>
public sealed class DirectPendingUploads(DirectMediaRepository repository) : IPendingUploads
{
    public string Prefix => DirectMedia.UploadKeyFor("");

    public async Task<IEnumerable<string>> AwaitedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var ids = keys.Select(key => key[Prefix.Length..]).Where(id => Guid.TryParse(id, out _)).ToList();
        if (ids.Count == 0) return [];
        return (await repository.AwaitingCompletionAsync(ids, cancellationToken)).Select(DirectMedia.UploadKeyFor);
    }
}
