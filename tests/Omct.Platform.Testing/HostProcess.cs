using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Omct.Platform.Testing;

/// <summary>
/// The built host started as a separate operating-system process (its own runtime, connection
/// pools and Marten store) on a given database, for what must hold across processes: references,
/// idempotency, the scheduler cluster. Killed on dispose; its output is kept for failure messages.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public GraphQLClient GraphQL(string? apiKey = null) => new(new HttpClient { BaseAddress = Address }, apiKey);

    public GraphQLClient Admin() => GraphQL(PlatformFactory.AdminKey);

    /// <summary>Starts the host next to the test assembly and waits until <c>/health/ready</c> answers 200.</summary>
    public static Task<HostProcess> StartAsync(string connectionString, IDictionary<string, string>? settings = null) =>
        StartAsync(AppContext.BaseDirectory, AppContext.BaseDirectory, connectionString, settings);

    /// <summary>
    /// Starts the host as it ships — host/Omct.Platform.Host's own build output with its own deps.json and
    /// package assemblies, from the project folder as <c>build/run.sh</c> does — not the copy next to the tests.
    /// </summary>
    public static Task<HostProcess> StartShippedAsync(string connectionString, IDictionary<string, string>? settings = null) =>
        StartAsync(ShippedHost.Directory, ShippedHost.ProjectDirectory, connectionString, settings);

    /// <summary>
    /// Starts the host next to the test assembly and waits for it to exit by itself (a host that refuses to start), at
    /// most <paramref name="timeout"/>: its exit code and output. One that is still running then is killed (and fails).
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string connectionString, IDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = StartInfo(AppContext.BaseDirectory, AppContext.BaseDirectory, connectionString, settings, out _);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The host did not exit within {timeout}:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<HostProcess> StartAsync(string hostDirectory, string workingDirectory, string connectionString, IDictionary<string, string>? settings)
    {
        var start = StartInfo(hostDirectory, workingDirectory, connectionString, settings, out var address);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, address);
        // The host logs this once Kestrel listens, after the start-up work (schema, seeding) is done.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            host.Append(e.Data);
            if (e.Data?.Contains("Application started", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException("The host process exited."));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(120));
            if (await ReadyAsync(address, host))
            {
                return host;
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            host.Append($"[test] {e.Message}");
        }

        await host.DisposeAsync();
        throw new InvalidOperationException($"The host process did not become ready:\n{host.Output}");
    }

    /// <summary>
    /// Asks <c>/health/ready</c> once, after the host said it started: "Application started" is logged after every
    /// hosted service's start, the start-up work (schema, seed) among them, so the host is ready by then; a host
    /// that is not says why in its answer, kept with the output.
    /// </summary>
    private static async Task<bool> ReadyAsync(Uri address, HostProcess host)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var response = await http.GetAsync("/health/ready");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            host.Append($"[test] /health/ready answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            host.Append($"[test] /health/ready: {e.Message}");
        }

        return false;
    }

    /// <summary>The host's process: next to <paramref name="hostDirectory"/>, on a free loopback port, with the tests' settings and <paramref name="settings"/> over them.</summary>
    private static ProcessStartInfo StartInfo(string hostDirectory, string workingDirectory, string connectionString, IDictionary<string, string>? settings, out Uri address)
    {
        var hostDll = Path.Combine(hostDirectory, "Omct.Platform.Host.dll");
        if (!File.Exists(hostDll))
        {
            throw new InvalidOperationException($"The host is not built: {hostDll}");
        }

        address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [hostDll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Omct__Security__BootstrapAdminApiKey"] = PlatformFactory.AdminKey;
        start.Environment["Omct__Privacy__MasterKey"] = PlatformFactory.MasterKey;
        start.Environment["Omct__Jobs__Enabled"] = "false";
        start.Environment["Omct__GraphQL__TimeoutSeconds"] = "120"; // as PlatformFactory: loaded CI machines
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
