namespace Mediary.Data;

/// <summary>
/// One page of rows by id, as Mastodon's Paginable pages them: without <see cref="MinId"/> the
/// newest <see cref="Limit"/> below <see cref="MaxId"/> and above <see cref="SinceId"/>; with it,
/// the <see cref="Limit"/> oldest above <see cref="MinId"/> (and below <see cref="MaxId"/>, since_id
/// then ignored), answered newest first all the same. <see cref="MatchesNothing"/>: a bound that
/// Rails casts to NULL (<c>max_id=abc</c>), so that no row compares true.
/// </summary>
public sealed record IdPage(int Limit, long? MaxId = null, long? SinceId = null, long? MinId = null, bool MatchesNothing = false)
{
    /// <summary>The SQL that ends a query whose WHERE clause is already open: <c>AND</c> conditions, the order and the limit.</summary>
    public string SqlTail(string idColumn)
    {
        var conditions = new List<string>();
        if (MatchesNothing) conditions.Add("1 = 0");
        if (MinId is not null) conditions.Add($"{idColumn} > @MinId");
        if (MaxId is not null) conditions.Add($"{idColumn} < @MaxId");
        if (MinId is null && SinceId is not null) conditions.Add($"{idColumn} > @SinceId");
        var order = MinId is null ? "DESC" : "ASC";
        return string.Concat(conditions.Select(condition => " AND " + condition)) + $" ORDER BY {idColumn} {order} LIMIT @Limit";
    }

    /// <summary>Rows as the query with <see cref="SqlTail"/> read them, newest first.</summary>
    public IReadOnlyList<T> NewestFirst<T>(IEnumerable<T> rows)
    {
        var list = rows.ToList();
        if (MinId is not null) list.Reverse();
        return list;
    }
}
