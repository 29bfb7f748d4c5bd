namespace Mediary.Mastodon;

/// <summary>
/// A request body the client broke (no boundary, cut short, bad part headers): Rack's 400, which
/// <see cref="MastodonErrors.ForFailure"/> answers as <c>Bad Request</c>. The framework's own
/// <see cref="BadHttpRequestException"/> is an <see cref="IOException"/> already and passes as it is.
/// </summary>
internal static class MalformedBody
{
    /// <summary>Whether <paramref name="failure"/>, met while reading the body, is the body's fault.</summary>
    public static bool Is(Exception failure) => failure is InvalidDataException or IOException and not BadHttpRequestException;

    public static BadHttpRequestException Because(string reason) =>
        new($"The request body is not valid: {reason}", StatusCodes.Status400BadRequest);

    public static BadHttpRequestException From(Exception failure) =>
        new($"The request body is not valid: {failure.Message}", StatusCodes.Status400BadRequest, failure);
}
