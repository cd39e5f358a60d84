namespace Omct.Platform.BuildingBlocks.Modules;

/// <summary>
/// A module's data every installation has (a default report definition), made at every start once the schema is
/// applied and before the host is ready: it must do nothing when its data is there already, and make it once when
/// several hosts start at the same time (a fixed id, the losing insert ignored).
/// </summary>
public interface IDefaultData
{
    Task EnsureAsync(CancellationToken cancellationToken);
}
