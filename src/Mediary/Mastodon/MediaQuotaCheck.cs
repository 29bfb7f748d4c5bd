using Mediary.Media;

namespace Mediary.Mastodon;

/// <summary>
/// The storage quota, before an upload's body is read: a multipart body's <c>Content-Length</c>
/// (less room for its form fields) must fit, and an account already at its limit is refused at
/// once. The exact size is checked again once the file is here.
/// </summary>
public sealed class MediaQuotaCheck(StorageQuota quota) : IEndpointFilter
{
    /// <summary>What a multipart body carries besides the file: boundaries, headers, the description.</summary>
    private const long FormRoom = 64 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (quota.Limit is null) return await next(context);
        var request = context.HttpContext.Request;
        // A data URI in JSON or a form is a third larger than its file: only a multipart body's length tells the file's.
        var bytes = request.HasFormContentType && request.ContentType!.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            ? Math.Max(0, (request.ContentLength ?? 0) - FormRoom)
            : 0;
        await quota.EnsureRoomAsync(MastodonAuthFilter.AccountId(context.HttpContext), bytes, countReservations: true, request.HttpContext.RequestAborted);
        return await next(context);
    }
}
