namespace Omct.Platform.BuildingBlocks.Modules;

/// <summary>
/// Loads a module's share of the demo data (the organisation's home page) on an empty database.
/// Seeders run in <see cref="Order"/> under a system caller, through the module's own command
/// handlers, and must do nothing when their data is already there.
/// </summary>
public interface IDemoDataSeeder
{
    /// <summary>Lower runs first: people and organisations before the cases that refer to them.</summary>
    int Order { get; }

    Task SeedAsync(CancellationToken cancellationToken);
}
