using GraphQL;
using GraphQL.DataLoader;

namespace Omct.Platform.BuildingBlocks.GraphQL;

/// <summary>
/// Batched loading for nested fields (a page of cases → their victims' defenders): every
/// <see cref="Load"/> made while the executor walks one level of the result is answered by a
/// single fetch, because GraphQL.NET runs the fields that return an <see cref="IDataLoaderResult"/>
/// only after all other pending fields. One loader per request (see <see cref="BatchLoaders"/>).
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
{
    private readonly object _gate = new();
    private readonly Dictionary<TKey, Task<TValue?>> _loaded = [];
    private HashSet<TKey> _pending = [];
    private TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>>? _batch;

    /// <summary>How many fetches this loader made (one per batch).</summary>
    public int Fetches { get; private set; }

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            if (_loaded.TryGetValue(key, out var known))
            {
                return new Result(this, known);
            }

            _batch ??= new TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Add(key);
            var batch = _batch.Task;
            var value = Pick(batch, key);
            _loaded[key] = value;
            return new Result(this, value);
        }
    }

    private static async Task<TValue?> Pick(Task<IReadOnlyDictionary<TKey, TValue>> batch, TKey key) =>
        (await batch.ConfigureAwait(false)).TryGetValue(key, out var value) ? value : default;

    /// <summary>Fetches everything asked for so far, once.</summary>
    private async Task DispatchAsync(CancellationToken ct)
    {
        HashSet<TKey> keys;
        TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>>? batch;
        lock (_gate)
        {
            batch = _batch;
            keys = _pending;
            _batch = null;
            _pending = [];
        }

        if (batch is null)
        {
            return;
        }

        Fetches++;
        try
        {
            batch.SetResult(await fetch(keys, ct));
        }
        catch (Exception e)
        {
            batch.SetException(e);
        }
    }

    private sealed class Result(BatchLoader<TKey, TValue> loader, Task<TValue?> value) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            if (!value.IsCompleted)
            {
                await loader.DispatchAsync(cancellationToken);
            }

            return await value;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}

/// <summary>The request's batch loaders, by name (scoped: one set per request).</summary>
public sealed class BatchLoaders
{
    private readonly Dictionary<string, object> _loaders = [];

    public BatchLoader<TKey, TValue> Get<TKey, TValue>(
        string name, Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
        where TKey : notnull
    {
        lock (_loaders)
        {
            if (!_loaders.TryGetValue(name, out var loader))
            {
                loader = new BatchLoader<TKey, TValue>(fetch);
                _loaders[name] = loader;
            }

            return (BatchLoader<TKey, TValue>)loader;
        }
    }
}

public static class BatchLoaderContextExtensions
{
    /// <summary>The request's loader named <paramref name="name"/>, created with <paramref name="fetch"/> on first use.</summary>
    public static BatchLoader<TKey, TValue> Loader<TKey, TValue>(
        this IResolveFieldContext context, string name,
        Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
        where TKey : notnull =>
        context.Service<BatchLoaders>().Get(name, fetch);
}

/// <summary>Composition of loader results (what GraphQL.DataLoader's extensions would give).</summary>
public static class DataLoaderResults
{
    public static IDataLoaderResult<TOut> Then<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, TOut> map) =>
        new Mapped<TIn, TOut>(result, value => Task.FromResult(map(value)));

    public static IDataLoaderResult<TOut> ThenAsync<TIn, TOut>(this IDataLoaderResult<TIn> result, Func<TIn, Task<TOut>> map) =>
        new Mapped<TIn, TOut>(result, map);

    /// <summary>All of <paramref name="parts"/> (loads of one batch), in order.</summary>
    public static IDataLoaderResult<IReadOnlyList<T>> All<T>(IReadOnlyList<IDataLoaderResult<T>> parts) => new AllOf<T>(parts);

    private sealed class Mapped<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, Task<TOut>> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) =>
            await map(await inner.GetResultAsync(cancellationToken));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }

    private sealed class AllOf<T>(IReadOnlyList<IDataLoaderResult<T>> parts) : IDataLoaderResult<IReadOnlyList<T>>
    {
        public async Task<IReadOnlyList<T>> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var values = new List<T>(parts.Count);
            foreach (var part in parts)
            {
                values.Add(await part.GetResultAsync(cancellationToken));
            }

            return values;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
