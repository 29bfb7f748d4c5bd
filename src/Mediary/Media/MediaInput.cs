namespace Mediary.Media;

/// <summary>An uploaded file, already streamed to a temporary file that this object deletes.</summary>
public sealed class UploadedFile(string path, string? fileName, long length) : IDisposable
{
    public string Path { get; } = path;
    public string? FileName { get; } = fileName;
    public long Length { get; } = length;

    public void Dispose() => File.Delete(Path);
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
