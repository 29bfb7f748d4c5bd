using System.Runtime.InteropServices;

namespace Mediary.Processing;

/// <summary>An owned reference to a libvips image; disposing drops the reference.</summary>
internal sealed class VipsImage : IDisposable
{
    private IntPtr _handle;

    private VipsImage(IntPtr handle) => _handle = handle;

    public IntPtr Handle => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(VipsImage));
    public int Width => VipsNative.vips_image_get_width(Handle);
    public int Height => VipsNative.vips_image_get_height(Handle);
    public int Bands => VipsNative.vips_image_get_bands(Handle);

    /// <summary>Opens a file lazily: only the header is read until pixels are asked for.</summary>
    public static VipsImage OpenHeader(string path) =>
        Wrap(VipsNative.vips_image_new_from_file(path, IntPtr.Zero), "load");

    /// <summary>libvips' thumbnail: shrink-on-load, EXIF auto-rotation, fit inside the box, never upscale.</summary>
    public static VipsImage Thumbnail(string path, int width, int height) =>
        Check(VipsNative.vips_thumbnail(path, out var image, width, "height", height, "size", VipsNative.SizeDown, IntPtr.Zero), image, "thumbnail");

    public static VipsImage Thumbnail(string path, int box) =>
        Check(VipsNative.vips_thumbnail(path, out var image, box, IntPtr.Zero), image, "thumbnail");

    public VipsImage ToSrgb() =>
        Check(VipsNative.vips_colourspace(Handle, out var image, VipsNative.InterpretationSrgb, IntPtr.Zero), image, "colourspace");

    public VipsImage ExtractBands(int first, int count) =>
        Check(VipsNative.vips_extract_band(Handle, out var image, first, "n", count, IntPtr.Zero), image, "extract_band");

    public VipsImage CastToUchar() =>
        Check(VipsNative.vips_cast(Handle, out var image, VipsNative.FormatUchar, IntPtr.Zero), image, "cast");

    public int? GetInt(string field) =>
        VipsNative.vips_image_get_int(Handle, field, out var value) == 0 ? value : null;

    public string? GetString(string field) =>
        VipsNative.vips_image_get_string(Handle, field, out var value) == 0 ? Marshal.PtrToStringUTF8(value) : null;

    public int Pages => VipsNative.vips_image_get_n_pages(Handle);

    public IReadOnlyList<string> FieldNames()
    {
        var list = VipsNative.vips_image_get_fields(Handle);
        var names = new List<string>();
        try
        {
            for (var i = 0; ; i++)
            {
                var entry = Marshal.ReadIntPtr(list, i * IntPtr.Size);
                if (entry == IntPtr.Zero) break;
                names.Add(Marshal.PtrToStringUTF8(entry)!);
            }
        }
        finally
        {
            VipsNative.g_strfreev(list);
        }
        return names;
    }

    public void RemoveField(string name) => VipsNative.vips_image_remove(Handle, name);

    public void Save(string path)
    {
        if (VipsNative.vips_image_write_to_file(Handle, path, IntPtr.Zero) != 0) throw LastError("save");
    }

    public byte[] ToBytes()
    {
        var memory = VipsNative.vips_image_write_to_memory(Handle, out var size);
        if (memory == IntPtr.Zero) throw LastError("write_to_memory");
        try
        {
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(memory, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            VipsNative.g_free(memory);
        }
    }

    public void Dispose()
    {
        if (_handle == IntPtr.Zero) return;
        VipsNative.g_object_unref(_handle);
        _handle = IntPtr.Zero;
    }

    private static VipsImage Wrap(IntPtr handle, string operation) =>
        handle != IntPtr.Zero ? new VipsImage(handle) : throw LastError(operation);

    private static VipsImage Check(int result, IntPtr image, string operation) =>
        result == 0 && image != IntPtr.Zero ? new VipsImage(image) : throw LastError(operation);

    private static VipsException LastError(string operation)
    {
        var message = Marshal.PtrToStringUTF8(VipsNative.vips_error_buffer()) ?? "";
        VipsNative.vips_error_clear();
        return new VipsException($"{operation}: {message.Trim()}");
    }
}

internal sealed class VipsException(string message) : Exception(message);
