using System.Buffers.Binary;
using System.Buffers.Text;
using System.Linq.Expressions;
using GraphQL;
using GraphQL.Types;
using Marten;
using Omct.Platform.BuildingBlocks.Errors;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>A Relay connection page. <see cref="TotalCount"/> runs only when the client asks for it.</summary>
public sealed record Connection<T>(IReadOnlyList<Edge<T>> Edges, PageInfo PageInfo, Func<CancellationToken, Task<int>> TotalCount) : IConnection
{
    IEnumerable<IEdge> IConnection.Edges => Edges;
}

public sealed record Edge<T>(string Cursor, T Node) : IEdge
{
    object? IEdge.Node => Node;
}

/// <summary>A <see cref="Connection{T}"/> whatever its node type (what <see cref="ConnectionGraphType{TNodeGraphType}"/> reads).</summary>
public interface IConnection
{
    IEnumerable<IEdge> Edges { get; }

    PageInfo PageInfo { get; }

    Func<CancellationToken, Task<int>> TotalCount { get; }
}

/// <summary>An <see cref="Edge{T}"/> whatever its node type.</summary>
public interface IEdge
{
    string Cursor { get; }

    object? Node { get; }
}

public sealed record PageInfo(bool HasNextPage, string? EndCursor);

/// <summary>Page size and keyset cursors shared by every list.</summary>
public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>The page size for <c>first</c>: default 20, at most 100 (LIMIT_EXCEEDED above).</summary>
    public static int PageSize(int? first) => first switch
    {
        null => DefaultPageSize,
        < 0 => throw DomainException.Validation("first", "first must not be negative."),
        > MaxPageSize => throw DomainException.LimitExceeded($"first may be at most {MaxPageSize}."),
        _ => first.Value,
    };

    /// <summary>An opaque cursor for a keyset position (a unique, totally ordered key).</summary>
    public static string EncodeCursor(long key)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, key);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The keyset position of <c>after</c>, null when absent; VALIDATION when it is not one of ours.</summary>
    public static long? DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (cursor.Length != 11 || Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 8)
        {
            throw DomainException.Validation("after", "The cursor is not valid.");
        }

        return BinaryPrimitives.ReadInt64BigEndian(bytes);
    }

    /// <summary>An opaque cursor for a position in a list ordered by a time-ordered id (version 7 GUIDs).</summary>
    public static string EncodeCursor(Guid id) => Base64Url.EncodeToString(id.ToByteArray(bigEndian: true));

    /// <summary>The id of <c>after</c> in a list ordered by id, null when absent; VALIDATION when it is not one of ours.</summary>
    public static Guid? DecodeIdCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[24];
        if (cursor.Length != 22 || Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != 16)
        {
            throw DomainException.Validation("after", "The cursor is not valid.");
        }

        return new Guid(bytes[..16], bigEndian: true);
    }

    /// <summary>Builds a page from up to <paramref name="pageSize"/> + 1 rows read in keyset order.</summary>
    public static Connection<T> Page<T>(IReadOnlyList<T> rows, int pageSize, Func<T, long> key, Func<CancellationToken, Task<int>> totalCount)
    {
        var edges = rows.Take(pageSize).Select(r => new Edge<T>(EncodeCursor(key(r)), r)).ToList();
        return new Connection<T>(edges, new PageInfo(rows.Count > pageSize, edges.Count > 0 ? edges[^1].Cursor : null), totalCount);
    }

    /// <summary>
    /// A page of <paramref name="query"/> (run in a query session of its own, and again for <c>totalCount</c>),
    /// newest first by <paramref name="key"/> (an order key): <paramref name="first"/> rows after the cursor <paramref name="after"/>.
    /// </summary>
    public static async Task<Connection<T>> PageByKeyDescendingAsync<T>(
        IDocumentStore store, Func<IQuerySession, IQueryable<T>> query, Expression<Func<T, long>> key, int? first, string? after, CancellationToken ct)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(key);
        var pageSize = PageSize(first);
        var afterKey = DecodeCursor(after);
        await using var session = store.QuerySession();
        var page = query(session);
        if (afterKey is { } position)
        {
            page = page.Where(Expression.Lambda<Func<T, bool>>(Expression.LessThan(key.Body, Expression.Constant(position)), key.Parameters));
        }

        var rows = await page.OrderByDescending(key).Take(pageSize + 1).ToListAsync(ct);
        return Page(rows, pageSize, key.Compile(), async countCt =>
        {
            await using var countSession = store.QuerySession();
            return await query(countSession).CountAsync(countCt);
        });
    }
}

/// <summary>
/// <c>XxxConnection { edges nodes pageInfo totalCount }</c> for the node type <c>Xxx</c> (named by
/// convention from <typeparamref name="TNodeGraphType"/>: <c>ArticleGraphType</c> → <c>ArticleConnection</c>).
/// A declared field returning <see cref="Connection{T}"/> gets it without naming it.
/// </summary>
public sealed class ConnectionGraphType<TNodeGraphType> : ObjectGraphType<IConnection>
    where TNodeGraphType : IGraphType
{
    public ConnectionGraphType()
    {
        Name = typeof(TNodeGraphType).GraphQLName() + "Connection";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<TNodeGraphType>>>>>("edges").Resolve(c => c.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeGraphType>>>>("nodes").Resolve(c => c.Source.Edges.Select(e => e.Node));
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Resolve(c => c.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many records match the filter and are visible to the caller.")
            .ResolveAsync(async c => await c.Source.TotalCount(c.CancellationToken));
        this.FieldsShownWithRecord();
    }
}

/// <summary><c>XxxEdge { cursor node }</c>, named as <see cref="ConnectionGraphType{TNodeGraphType}"/>.</summary>
public sealed class EdgeGraphType<TNodeGraphType> : ObjectGraphType<IEdge>
    where TNodeGraphType : IGraphType
{
    public EdgeGraphType()
    {
        Name = typeof(TNodeGraphType).GraphQLName() + "Edge";
        Field<NonNullGraphType<StringGraphType>>("cursor").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<TNodeGraphType>>("node").Resolve(c => c.Source.Node);
        this.FieldsShownWithRecord();
    }
}

public sealed class PageInfoGraphType : ObjectGraphType<PageInfo>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Field(p => p.HasNextPage);
        Field(p => p.EndCursor, nullable: true);
        this.FieldsShownWithRecord();
    }
}
