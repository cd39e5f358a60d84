using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Omct.Platform.BuildingBlocks.Modules;
using Serilog.Core;
using Xunit;

namespace Omct.Platform.Testing;

/// <summary>
/// The real host, in memory, on a database of its own. One per test class
/// (<c>IClassFixture&lt;PlatformFactory&gt;</c>); jobs do not fire on their own unless a subclass says so.
/// </summary>
public class PlatformFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "test-bootstrap-admin-key-0123456789";

    /// <summary>The tests' master key (<c>Omct:Privacy:MasterKey</c>): base64 of 32 bytes, the same for every host of a run.</summary>
    public const string MasterKey = "q5Nc0bqLHfk0ygQdh/cXMhu3RwHQcBhmNY8l4c+EXAs=";

    private TestDatabase? _database;
    private string? _sharedConnectionString;

    /// <summary>A host on a database of its own, created and dropped with it.</summary>
    public PlatformFactory() { }

    /// <summary>A host on an existing database (several hosts on one database, restarts).</summary>
    protected PlatformFactory(string connectionString) => _sharedConnectionString = connectionString;

    public InMemoryLogSink Logs { get; } = new();

    public string ConnectionString =>
        _sharedConnectionString ?? _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Extra settings (configuration keys with ':') for a subclass.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Replace or add services (a fake clock) for a subclass; runs after the host's own registrations.</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    /// <summary>Extra modules for a subclass (e.g. a module with a failing resolver).</summary>
    protected virtual IEnumerable<PlatformModule> ExtraModules => [];

    public GraphQLClient GraphQL(string? apiKey = null) => new(CreateClient(), apiKey);

    public GraphQLClient Admin() => GraphQL(AdminKey);

    /// <summary>
    /// Completes once the reads of RESTRICTED values made so far (written to the audit trail in the background) are
    /// saved: the audit trail read next holds them all.
    /// </summary>
    public Task RestrictedReadsWrittenAsync() =>
        Services.GetRequiredService<Omct.Platform.BuildingBlocks.Auditing.IRestrictedReadRecorder>().WrittenAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task InitializeAsync()
    {
        if (_sharedConnectionString is null)
        {
            _database = await TestDatabase.CreateAsync();
        }

        _ = Services; // start the host now, so schema errors surface in the fixture
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        builder.UseSetting("Omct:Security:BootstrapAdminApiKey", AdminKey);
        builder.UseSetting("Omct:Privacy:MasterKey", MasterKey);
        builder.UseSetting("Omct:Jobs:Enabled", "false");
        // A loaded CI machine (2 cores, every test class in parallel) can take longer than the
        // production execution limit; the limit itself is tested with a small value of its own.
        builder.UseSetting("Omct:GraphQL:TimeoutSeconds", "120");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ILogEventSink>(Logs);
            var configuration = new ConfigurationBuilder().Build();
            foreach (var module in ExtraModules)
            {
                services.AddPlatformModule(module, configuration);
            }

            ConfigureServices(services);
        });
    }
}
