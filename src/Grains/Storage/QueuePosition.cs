namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Queue order: by due time (milliseconds), then by id in Unicode code point order, which is the order of the ids'
/// UTF-8 bytes: the order of SQLite's text keys and of Redis's sorted set members. For ids without characters above
/// U+FFFF (every id the product makes) it is <see cref="string.CompareOrdinal(string, string)"/>.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct QueuePosition([property: Id(0)] DateTimeOffset Due, [property: Id(1)] string Id) : IComparable<QueuePosition>
{
    public int CompareTo(QueuePosition other)
    {
        var byDue = Due.ToUnixTimeMilliseconds().CompareTo(other.Due.ToUnixTimeMilliseconds());
        return byDue != 0 ? byDue : CompareIds(Id, other.Id);
    }

    /// <summary>UTF-16 ordinal puts a surrogate pair (a code point above U+FFFF) before U+E000–U+FFFF; this puts it after.</summary>
    public static int CompareIds(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length) return a.Length.CompareTo(b.Length);
        int x = a[common], y = b[common];
        if (x >= 0xD800 && y >= 0xD800) (x, y) = (CodePointRank(x), CodePointRank(y));
        return x.CompareTo(y);
    }

    private static int CodePointRank(int unit) => unit >= 0xE000 ? unit - 0x800 : unit + 0x2000;
}
