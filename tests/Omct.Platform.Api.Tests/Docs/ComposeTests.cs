using System.Diagnostics;
using System.Text.RegularExpressions;
using Omct.Platform.Testing;
using Xunit;

namespace Omct.Platform.Api.Tests.Docs;

/// <summary>
/// <c>docker compose up</c> gives a working first administrator: the compose file is valid
/// (<c>docker-compose config</c> when installed), mounts the volume the README names, and the image's
/// entrypoint generates the key there once, prints it once and hands it to the host. No Docker engine
/// is needed: the entrypoint is run with bash on this machine.
/// </summary>
public sealed partial class ComposeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omct-compose-").FullName;

    private static string Root => RepositoryRoot.Path;

    [Fact]
    public async Task The_compose_file_is_valid_and_gives_the_host_the_admin_key_volume_the_readme_names()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Root, "README.md"));
        const string documented = "docker compose exec host cat /var/lib/omct/admin-api-key";
        Assert.Contains(documented, readme, StringComparison.Ordinal);

        var compose = await File.ReadAllTextAsync(Path.Combine(Root, "docker-compose.yml"));
        Assert.Contains("- omct-admin:/var/lib/omct", compose, StringComparison.Ordinal);
        Assert.Contains("OMCT_ADMIN_KEY_FILE: /var/lib/omct/admin-api-key", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("# Omct__Security__BootstrapAdminApiKey", compose, StringComparison.Ordinal);
        Assert.Contains("OMCT_MASTER_KEY_FILE: /var/lib/omct/master-key", compose, StringComparison.Ordinal);
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Root, "build", "Dockerfile"));
        Assert.Contains("COPY --chmod=755 build/docker-entrypoint.sh /usr/local/bin/omct-entrypoint", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/omct-entrypoint\"]", dockerfile, StringComparison.Ordinal);
        Assert.Contains("CMD [\"dotnet\", \"Omct.Platform.Host.dll\"]", dockerfile, StringComparison.Ordinal);

        // Debian's docker-compose (1.29) or the compose plugin, when either is installed: the file as compose reads it.
        var tool = File.Exists("/usr/bin/docker-compose") ? ("docker-compose", "config") : (null, null);
        if (tool.Item1 is null)
        {
            return;
        }

        var (code, output) = await RunAsync(tool.Item1, [tool.Item2!], Root, new Dictionary<string, string>());
        Assert.True(code == 0, output);
        Assert.Matches(@"omct-admin:/var/lib/omct(:rw)?", output);
        Assert.Contains("OMCT_ADMIN_KEY_FILE: /var/lib/omct/admin-api-key", output, StringComparison.Ordinal);
        Assert.Contains("Omct__SeedDemoData: 'true'", output.Replace("\"", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        // An empty key by default (the entrypoint generates one); OMCT_ADMIN_API_KEY from the environment or .env otherwise.
        var (_, given) = await RunAsync(tool.Item1, [tool.Item2!], Root, new Dictionary<string, string> { ["OMCT_ADMIN_API_KEY"] = "given-admin-key-0123456789" });
        Assert.Contains("Omct__Security__BootstrapAdminApiKey: given-admin-key-0123456789", given, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entrypoint_generates_the_key_once_prints_it_once_and_hands_it_to_the_host()
    {
        var keyFile = Path.Combine(_dir, "volume", "admin-api-key");
        var environment = new Dictionary<string, string> { ["OMCT_ADMIN_KEY_FILE"] = keyFile, ["Omct__Security__BootstrapAdminApiKey"] = "" };
        var entrypoint = Path.Combine(Root, "build", "docker-entrypoint.sh");

        var (code, first) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Security__BootstrapAdminApiKey"], _dir, environment);
        Assert.Equal(0, code);
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", key); // 32 random bytes, base64url: well over the host's 16 characters
        Assert.Contains($"X-Api-Key: {key}", first, StringComparison.Ordinal);
        Assert.EndsWith(key, first.Trim(), StringComparison.Ordinal); // the host process (printenv here) received it
        Assert.Equal("600", await StatAsync(keyFile));

        var (_, second) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Security__BootstrapAdminApiKey"], _dir, environment);
        Assert.Equal(key, (await File.ReadAllTextAsync(keyFile)).Trim());
        Assert.DoesNotContain("X-Api-Key", second, StringComparison.Ordinal); // printed once only
        Assert.EndsWith(key, second.Trim(), StringComparison.Ordinal);

        // A key given in the environment wins, and nothing is generated.
        var given = new Dictionary<string, string>(environment) { ["Omct__Security__BootstrapAdminApiKey"] = "given-admin-key-0123456789", ["OMCT_ADMIN_KEY_FILE"] = Path.Combine(_dir, "other", "key") };
        var (_, third) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Security__BootstrapAdminApiKey"], _dir, given);
        Assert.Equal("given-admin-key-0123456789", third.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "other", "key")));
    }

    [Fact]
    public async Task The_entrypoint_generates_the_master_key_once_into_the_volume_and_hands_its_file_to_the_host()
    {
        var keyFile = Path.Combine(_dir, "volume", "master-key");
        var environment = new Dictionary<string, string>
        {
            ["OMCT_MASTER_KEY_FILE"] = keyFile, ["Omct__Privacy__MasterKey"] = "", ["Omct__Security__BootstrapAdminApiKey"] = "given-admin-key-0123456789",
        };
        var entrypoint = Path.Combine(Root, "build", "docker-entrypoint.sh");

        var (code, first) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Privacy__MasterKeyFile"], _dir, environment);
        Assert.Equal(0, code);
        Assert.EndsWith(keyFile, first.Trim(), StringComparison.Ordinal);
        Assert.Contains("generated the master key", first, StringComparison.Ordinal);
        var key = (await File.ReadAllTextAsync(keyFile)).Trim();
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        Assert.Equal("600", await StatAsync(keyFile));

        var (_, second) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Privacy__MasterKeyFile"], _dir, environment);
        Assert.Equal(key, (await File.ReadAllTextAsync(keyFile)).Trim());
        Assert.DoesNotContain("generated", second, StringComparison.Ordinal);

        // A key given in the environment wins, and nothing is generated.
        var given = new Dictionary<string, string>(environment) { ["Omct__Privacy__MasterKey"] = PlatformFactory.MasterKey, ["OMCT_MASTER_KEY_FILE"] = Path.Combine(_dir, "other", "key") };
        var (_, third) = await RunAsync("bash", [entrypoint, "printenv", "Omct__Privacy__MasterKey"], _dir, given);
        Assert.Equal(PlatformFactory.MasterKey, third.Trim());
        Assert.False(File.Exists(Path.Combine(_dir, "other", "key")));
    }

    private static async Task<string> StatAsync(string path) => (await RunAsync("stat", ["-c", "%a", path], "/", new Dictionary<string, string>())).Output.Trim();

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, string directory, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stderr + await stdout);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
