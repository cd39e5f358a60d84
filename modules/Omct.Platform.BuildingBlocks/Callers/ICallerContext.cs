namespace Omct.Platform.BuildingBlocks.Callers;

/// <summary>
/// The caller of the current unit of work (an HTTP request or a job run). Scoped: the GraphQL
/// endpoint sets it after authentication, a job sets it to its system identity. Every resolver,
/// handler and job reads the caller from here and nowhere else.
/// </summary>
public interface ICallerContext
{
    Caller Current { get; }
}

/// <summary>The scoped, settable implementation of <see cref="ICallerContext"/>.</summary>
public sealed class CallerContext : ICallerContext
{
    public Caller Current { get; private set; } = Caller.Anonymous;

    public void Set(Caller caller) => Current = caller ?? throw new ArgumentNullException(nameof(caller));
}
