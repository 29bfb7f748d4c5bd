namespace Mediary.Media;

/// <summary>
/// An uploaded file as a local file: a temporary file that this object deletes, or (with
/// <see cref="StoredKey"/>) a stored object read in place, which is never deleted here: it stays
/// until its media no longer needs it, so a failed attempt can be retried.
/// </summary>
public sealed class UploadedFile(string path, string? fileName, long length, string? storedKey = null) : IDisposable
{
    public string Path { get; } = path;
    public string? FileName { get; } = fileName;
    public long Length { get; } = length;

    /// <summary>The storage key whose file <see cref="Path"/> is, when the upload is read in place.</summary>
    public string? StoredKey { get; } = storedKey;

    public void Dispose()
    {
        if (StoredKey is null) File.Delete(Path);
    }
}

/// <summary>
/// A text field: absent, given (possibly as an explicit JSON null), or cut short because it was
/// longer than any accepted value.
/// </summary>
public sealed record TextInput(string? Value, bool Overflowed = false, bool Given = true)
{
    public static readonly TextInput Absent = new(null, Given: false);
}

/// <summary>What a client sent to create or update a media attachment, independent of the API face.</summary>
public sealed class MediaInput : IDisposable
{
    public UploadedFile? File { get; init; }

    /// <summary>A <c>file</c> parameter that was given but is not a file (e.g. a URL string).</summary>
    public bool FileNotUsable { get; init; }

    public UploadedFile? Thumbnail { get; init; }
    public TextInput Description { get; init; } = TextInput.Absent;
    public TextInput Focus { get; init; } = TextInput.Absent;

    public void Dispose()
    {
        File?.Dispose();
        Thumbnail?.Dispose();
    }
}
