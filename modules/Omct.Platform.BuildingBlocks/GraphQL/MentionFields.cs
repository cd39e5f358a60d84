using GraphQL;
using Omct.Platform.BuildingBlocks.Callers;
using Omct.Platform.BuildingBlocks.Text;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>How a service names the mentioned ids for a caller (the defenders directory's <c>DisplayNamesAsync</c>).</summary>
public delegate Task<IReadOnlyDictionary<Guid, string>> MentionNames(IReadOnlyCollection<Guid> ids, Caller caller, CancellationToken cancellationToken);

/// <summary>
/// A text field with mentions (<see cref="Mentions"/>) as the request's caller reads it. The names of a whole page come
/// from one call (a batch loader per request and type of id, shared by every module's fields), and a text without a
/// mention is returned as it is without asking anything — what the case list's rows, which are benchmarked, mostly are.
/// </summary>
public static class MentionFields
{
    /// <summary>
    /// <paramref name="text"/> itself when it mentions nobody; else a loader result with it rendered for the caller, each name
    /// made safe by <paramref name="escape"/> (Markdown, HTML). <paramref name="names"/> picks the naming method of a
    /// <typeparamref name="TService"/> resolved only then.
    /// </summary>
    public static object? Mentioning<TService>(
        this IResolveFieldContext context, string? text, string typeName, Func<TService, MentionNames> names, Func<string, string>? escape = null)
        where TService : notnull
    {
        if (!Mentions.Any(text))
        {
            return text;
        }

        var ids = Mentions.Ids(typeName, text);
        if (ids.Count == 0)
        {
            return text;
        }

        var caller = context.GetCaller();
        var loader = context.Loader<Guid, string>("mentions." + typeName, (keys, ct) => names(context.Service<TService>())(keys, caller, ct));
        return DataLoaderResults.All(ids.Select(loader.Load).ToList()).Then(found =>
        {
            var known = new Dictionary<Guid, string>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                if (found[i] is { } name)
                {
                    known[ids[i]] = name;
                }
            }

            return Mentions.Render(text, typeName, known, escape);
        });
    }
}
