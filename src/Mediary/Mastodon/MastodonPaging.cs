using System.Globalization;
using System.Numerics;
using System.Text;
using Mediary.Data;
using Mediary.Statuses;

namespace Mediary.Mastodon;

/// <summary>
/// Mastodon's paging of a list by id (Api::BaseController#limit_param, Paginable, Api::Pagination):
/// reads <c>limit</c>, <c>max_id</c>, <c>since_id</c> and <c>min_id</c> as Rails does, and writes
/// the <c>Link</c> header that sends a client to the next (older) and previous (newer) page.
/// </summary>
public sealed class MastodonPaging
{
    private readonly IQueryCollection _query;
    private readonly string[] _kept;

    private MastodonPaging(IQueryCollection query, IdPage page, string[] kept)
    {
        _query = query;
        Page = page;
        _kept = kept;
    }

    public IdPage Page { get; }

    /// <param name="kept">The request's other parameters that the Link's URLs carry on, as Mastodon's pagination_params.</param>
    public static MastodonPaging Read(HttpRequest request, int defaultLimit, params string[] kept)
    {
        var query = request.Query;
        // limit_param: `[params[:limit].to_i.abs, default_limit * 2].min`, the default when absent.
        var limit = Param(query, "limit") is { } asked
            ? (int)BigInteger.Min(BigInteger.Abs(BigInteger.Parse(RubyInteger.ToI(asked), CultureInfo.InvariantCulture)), defaultLimit * 2)
            : defaultLimit;
        var nothing = false;
        long? Bound(string name)
        {
            // `where(id < max_id) if max_id.present?`, the value cast as Active Record casts to a bigint:
            // text that does not start like a number is NULL, which no id compares with.
            if (Param(query, name) is not { } text || string.IsNullOrWhiteSpace(text)) return null;
            if (!LooksNumeric(text))
            {
                nothing = true;
                return 0;
            }
            var value = BigInteger.Parse(RubyInteger.ToI(text), CultureInfo.InvariantCulture);
            return (long)BigInteger.Clamp(value, long.MinValue, long.MaxValue);
        }
        var page = new IdPage(limit, Bound("max_id"), Bound("since_id"), Bound("min_id"));
        return new MastodonPaging(query, page with { MatchesNothing = nothing }, kept);
    }

    /// <summary>
    /// Mastodon's <c>Link</c>: <c>rel="next"</c> with the last row's id as max_id when the page is
    /// full (records_continue?), <c>rel="prev"</c> with the first row's id as min_id unless it is empty.
    /// </summary>
    public void AddLinkHeader<T>(HttpResponse response, string url, IReadOnlyList<T> rows, Func<T, long> id)
    {
        var links = new List<string>();
        if (rows.Count > 0 && rows.Count == Page.Limit) links.Add($"<{Url(url, "max_id", id(rows[^1]))}>; rel=\"next\"");
        if (rows.Count > 0) links.Add($"<{Url(url, "min_id", id(rows[0]))}>; rel=\"prev\"");
        if (links.Count > 0) response.Headers.Link = string.Join(", ", links);
    }

    /// <summary>Rails' <c>url_for</c> with extra parameters: Hash#to_query, each <c>key=value</c> CGI-escaped, sorted.</summary>
    private string Url(string url, string bound, long value)
    {
        var pairs = _kept.Prepend("limit").Where(name => Param(_query, name) is not null)
            .Select(name => $"{Escape(name)}={Escape(Param(_query, name)!)}")
            .Append($"{bound}={value.ToString(CultureInfo.InvariantCulture)}")
            .Order(StringComparer.Ordinal);
        return $"{url}?{string.Join('&', pairs)}";
    }

    /// <summary>Rails' truthy_param? (ActiveModel::Type::Boolean): blank is nil, these few are false, anything else is true.</summary>
    public static bool Truthy(HttpRequest request, string name) =>
        Param(request.Query, name) is { Length: > 0 } value && value is not ("0" or "f" or "F" or "false" or "FALSE" or "off" or "OFF");

    /// <summary>The value Rails keeps for a parameter given more than once: the last.</summary>
    public static string? Param(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    // ActiveModel's NUMERIC_REGEX, /\A\s*[+-]?\d/: what it casts with to_i; anything else it makes nil.
    private static bool LooksNumeric(string text)
    {
        var rest = text.AsSpan().TrimStart(" \t\n\v\f\r");
        if (rest.Length > 0 && rest[0] is '+' or '-') rest = rest[1..];
        return rest.Length > 0 && char.IsAsciiDigit(rest[0]);
    }

    // Ruby's CGI.escape: ASCII letters, digits and -._~ kept, a space as +, every other byte as %XX.
    private static string Escape(string text)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
                builder.Append((char)b);
            else if (b == ' ') builder.Append('+');
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
