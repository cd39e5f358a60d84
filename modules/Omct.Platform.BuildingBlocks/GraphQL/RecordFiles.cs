using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Omct.Platform.BuildingBlocks.Callers;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// The <c>files</c> (and <c>portrait</c>) fields of records that take files — the files module's <c>File</c> type, asked
/// through its contract (<c>IAttachedFiles</c>, passed in as <typeparamref name="TFiles"/> so these building blocks do
/// not name a module). One loader per request for every record type: a page's files come in one query.
/// </summary>
public static class RecordFiles
{
    public const string FileType = "File";

    /// <summary><c>[File!]!</c>.</summary>
    public static IGraphType ListType => new NonNullGraphType(new ListGraphType(new NonNullGraphType(new GraphQLTypeReference(FileType))));

    /// <summary><c>File</c> (nullable).</summary>
    public static IGraphType ItemType => new GraphQLTypeReference(FileType);

    /// <summary>The files of the record the caller may see (the caller sees the record already), batched per request.</summary>
    public static IDataLoaderResult<IReadOnlyList<object>?> Of<TFiles>(IResolveFieldContext c, Guid recordId, Func<TFiles, Fetch<IReadOnlyList<object>>> fetch)
        where TFiles : notnull =>
        c.Loader<Guid, IReadOnlyList<object>>("files.of-records", (ids, ct) => fetch(c.Service<TFiles>())(ids, c.GetCaller(), ct)).Load(recordId);

    /// <summary>The record's latest portrait the caller may see, or null, batched per request.</summary>
    public static IDataLoaderResult<object?> PortraitOf<TFiles>(IResolveFieldContext c, Guid recordId, Func<TFiles, Fetch<object>> fetch)
        where TFiles : notnull =>
        c.Loader<Guid, object>("files.portraits", (ids, ct) => fetch(c.Service<TFiles>())(ids, c.GetCaller(), ct)).Load(recordId);

    /// <summary>What the files contract answers: a value per record id.</summary>
    public delegate Task<IReadOnlyDictionary<Guid, T>> Fetch<T>(IReadOnlyCollection<Guid> recordIds, Caller caller, CancellationToken cancellationToken);
}
