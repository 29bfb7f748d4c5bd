namespace Mediary.Media;

/// <summary>
/// Uploads that an API face keeps in storage under <see cref="Prefix"/> until it hands them to
/// the core (the direct face's step 2 bytes waiting for <c>complete</c>): the orphan sweep asks
/// the face which of them it still waits for.
/// </summary>
public interface IPendingUploads
{
    /// <summary>The key prefix of these uploads, e.g. <c>direct_uploads/</c>.</summary>
    string Prefix { get; }

    /// <summary>Of <paramref name="keys"/> (all under <see cref="Prefix"/>), those the face still waits for.</summary>
    Task<IEnumerable<string>> AwaitedAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken);
}
