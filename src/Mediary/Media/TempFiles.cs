using Mediary.Configuration;
using Microsoft.Extensions.Options;

namespace Mediary.Media;

/// <summary>
/// Scratch files for uploads in progress, under <c>{data}/tmp</c>. Each process names its files
/// after an owner id and holds a lock file for that id in <c>{data}/run</c> while it lives, so a
/// sweep removes exactly what dead processes left, also while other processes share the
/// directory (several API and worker processes on one machine).
/// </summary>
public sealed class TempFiles : IDisposable
{
    private readonly string _owner = Guid.NewGuid().ToString("N")[..12];
    private readonly string _owners;
    private readonly FileStream _ownerLock;

    public TempFiles(IOptions<MediaryOptions> options)
    {
        var data = System.IO.Path.GetFullPath(options.Value.DataDirectory);
        Directory = System.IO.Path.Combine(data, "tmp");
        _owners = System.IO.Path.Combine(data, "run");
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(_owners);
        _ownerLock = new FileStream(LockPath(_owner), FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    public string Directory { get; }

    public string NewPath(string extension = "upload") =>
        System.IO.Path.Combine(Directory, $"{_owner}-{Guid.NewGuid():N}.{extension}");

    /// <summary>
    /// A second name for <paramref name="path"/> in the scratch directory: a hard link where the
    /// file system allows (no bytes copied), a copy otherwise. Handing the new name over to
    /// storage leaves the original in place for readers that still need it.
    /// </summary>
    public string SecondName(string path)
    {
        var target = NewPath(System.IO.Path.GetExtension(path).TrimStart('.'));
        if (OperatingSystem.IsWindows() || link(path, target) != 0) File.Copy(path, target);
        return target;
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int link(string oldPath, string newPath);

    /// <summary>Removes the scratch files of processes that are gone (a crash's leftovers); returns how many.</summary>
    public int Sweep()
    {
        var removed = 0;
        var alive = new Dictionary<string, bool> { [_owner] = true };
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            var dash = file.Name.IndexOf('-');
            var owner = dash > 0 ? file.Name[..dash] : "";
            if (!alive.TryGetValue(owner, out var isAlive)) alive[owner] = isAlive = owner.Length > 0 && IsAlive(owner);
            if (isAlive) continue;
            try
            {
                file.Delete();
                removed++;
            }
            catch (IOException)
            {
                // Vanished or in use meanwhile; the next sweep gets it.
            }
        }
        // Lock files of dead processes that left no scratch file: IsAlive removes them.
        foreach (var lockFile in new DirectoryInfo(_owners).EnumerateFiles("*.lock"))
        {
            var owner = System.IO.Path.GetFileNameWithoutExtension(lockFile.Name);
            if (!alive.ContainsKey(owner)) IsAlive(owner);
        }
        return removed;
    }

    /// <summary>Whether the process that owns <paramref name="owner"/> still holds its lock; a dead owner's lock file is removed.</summary>
    private bool IsAlive(string owner)
    {
        try
        {
            using (new FileStream(LockPath(owner), FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
            File.Delete(LockPath(owner));
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private string LockPath(string owner) => System.IO.Path.Combine(_owners, owner + ".lock");

    public void Dispose()
    {
        _ownerLock.Dispose();
        File.Delete(LockPath(_owner));
    }
}
