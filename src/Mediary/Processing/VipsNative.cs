using System.Runtime.InteropServices;

namespace Mediary.Processing;

/// <summary>
/// The few libvips entry points the image helper needs, called through P/Invoke on Debian's
/// libvips 8.14. Variadic functions are declared with a fixed, NULL-terminated list of int or
/// pointer arguments, which is sound on x86-64 SysV; never pass a double this way.
/// </summary>
internal static partial class VipsNative
{
    private const string Vips = "libvips.so.42";
    private const string GObject = "libgobject-2.0.so.0";
    private const string GLib = "libglib-2.0.so.0";

    public const int SizeDown = 2;            // VIPS_SIZE_DOWN: never upscale
    public const int InterpretationSrgb = 22; // VIPS_INTERPRETATION_sRGB
    public const int FormatUchar = 0;         // VIPS_FORMAT_UCHAR

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_init(string argv0);

    [LibraryImport(Vips)]
    public static partial void vips_block_untrusted_set(int state);

    [LibraryImport(Vips)]
    public static partial void vips_cache_set_max(int max);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr vips_image_new_from_file(string name, IntPtr terminator);

    [LibraryImport(Vips)]
    public static partial int vips_image_get_width(IntPtr image);

    [LibraryImport(Vips)]
    public static partial int vips_image_get_height(IntPtr image);

    [LibraryImport(Vips)]
    public static partial int vips_image_get_bands(IntPtr image);

    [LibraryImport(Vips)]
    public static partial int vips_image_get_n_pages(IntPtr image);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_get_int(IntPtr image, string name, out int value);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_get_string(IntPtr image, string name, out IntPtr value);

    [LibraryImport(Vips)]
    public static partial IntPtr vips_image_get_fields(IntPtr image);

    /// <summary>Returns gboolean, hence int.</summary>
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_remove(IntPtr image, string name);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_thumbnail(string filename, out IntPtr output, int width,
        string heightKey, int height, string sizeKey, int size, IntPtr terminator);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_thumbnail(string filename, out IntPtr output, int width, IntPtr terminator);

    [LibraryImport(Vips)]
    public static partial int vips_colourspace(IntPtr input, out IntPtr output, int space, IntPtr terminator);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_extract_band(IntPtr input, out IntPtr output, int band, string nKey, int n, IntPtr terminator);

    [LibraryImport(Vips)]
    public static partial int vips_cast(IntPtr input, out IntPtr output, int format, IntPtr terminator);

    [LibraryImport(Vips)]
    public static partial IntPtr vips_image_write_to_memory(IntPtr image, out nuint size);

    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int vips_image_write_to_file(IntPtr image, string name, IntPtr terminator);

    [LibraryImport(Vips)]
    public static partial IntPtr vips_error_buffer();

    [LibraryImport(Vips)]
    public static partial void vips_error_clear();

    [LibraryImport(GObject)]
    public static partial void g_object_unref(IntPtr obj);

    [LibraryImport(GLib)]
    public static partial void g_free(IntPtr mem);

    [LibraryImport(GLib)]
    public static partial void g_strfreev(IntPtr strv);
}
