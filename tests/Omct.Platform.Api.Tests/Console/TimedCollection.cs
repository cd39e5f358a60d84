using Xunit;

namespace Omct.Platform.Api.Tests.Console;

/// <summary>
/// The browser tests that assert a time budget (the dashboard within 3 s on a throttled connection). xUnit runs the
/// classes of this collection one after another once the parallel classes have finished, so that a budget measures the
/// console and the host, not another test class's axe pass competing for the same two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimedCollection
{
    public const string Name = "Timed browser tests";
}
