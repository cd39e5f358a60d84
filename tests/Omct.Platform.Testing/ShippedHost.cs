using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Omct.Platform.Testing;

/// <summary>
/// The host as it ships: the build output of host/Omct.Platform.Host (what <c>build/run.sh</c> runs),
/// not the copy of its assembly next to the tests. The tests load the same assemblies only when every
/// package resolves to one version in both (transitive pinning in Directory.Packages.props).
/// </summary>
public static class ShippedHost
{
    /// <summary>The configuration the tests were built in (Release, Debug): the folder above <c>net10.0</c> in the test binaries' path.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>host/Omct.Platform.Host/bin/&lt;configuration&gt;/net10.0.</summary>
    public static string Directory { get; } =
        Path.Combine(RepositoryRoot.Path, "host", "Omct.Platform.Host", "bin", Configuration, "net10.0");

    public static string ProjectDirectory { get; } = Path.Combine(RepositoryRoot.Path, "host", "Omct.Platform.Host");

    public static string DepsJson => Path.Combine(Directory, "Omct.Platform.Host.deps.json");

    /// <summary>A runtime assembly of a deps.json: the library (package or project) bringing it and its versions.</summary>
    public sealed record Asset(string Library, Version? AssemblyVersion, Version? FileVersion);

    /// <summary>The runtime assemblies (by simple name) a deps.json lists.</summary>
    public static IReadOnlyDictionary<string, Asset> ReadDeps(string depsJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(depsJson));
        var root = document.RootElement;
        var target = root.GetProperty("runtimeTarget").GetProperty("name").GetString()!;
        var assets = new Dictionary<string, Asset>(StringComparer.OrdinalIgnoreCase);
        foreach (var library in root.GetProperty("targets").GetProperty(target).EnumerateObject())
        {
            if (!library.Value.TryGetProperty("runtime", out var runtime))
            {
                continue;
            }

            foreach (var file in runtime.EnumerateObject())
            {
                var name = Path.GetFileNameWithoutExtension(file.Name);
                assets[name] = new Asset(library.Name, Parse(file.Value, "assemblyVersion"), Parse(file.Value, "fileVersion"));
            }
        }

        return assets;
    }

    /// <summary>
    /// Every difference between what <paramref name="testAssembly"/>'s process loads and what the built
    /// host loads: (1) an assembly both deps.json files list, in another version; (2) after loading every
    /// assembly the test's deps.json lists, a loaded assembly that the host lists in another version, or
    /// that the host takes from the shared framework while the tests took another file (a package that
    /// outbids the framework in the tests only). Assemblies the host never loads (xunit, test hosts) are not compared.
    /// </summary>
    public static IReadOnlyList<string> Differences(Assembly testAssembly)
    {
        if (!File.Exists(DepsJson))
        {
            return [$"The built host is missing: {DepsJson} (build Omct.Platform.sln -c {Configuration})."];
        }

        var host = ReadDeps(DepsJson);
        var testDeps = Path.Combine(AppContext.BaseDirectory, testAssembly.GetName().Name + ".deps.json");
        var tests = ReadDeps(testDeps);
        var differences = new List<string>();

        foreach (var (name, test) in tests)
        {
            if (host.TryGetValue(name, out var shipped) && shipped.AssemblyVersion is not null
                && (shipped.AssemblyVersion != test.AssemblyVersion || shipped.FileVersion != test.FileVersion))
            {
                differences.Add($"{name}: host {Describe(shipped)}, tests' deps.json {Describe(test)}");
            }
        }

        foreach (var name in tests.Keys)
        {
            try
            {
                Assembly.Load(new AssemblyName(name));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // A reference assembly or a platform-specific one: nothing this process can load, nor compare.
            }
        }

        // The shared frameworks this process runs on; the host rolls forward to the same ones on this machine.
        string[] frameworks =
        [
            Path.GetDirectoryName(typeof(object).Assembly.Location)!,
            Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!,
        ];

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0))
        {
            var name = assembly.GetName();
            var loaded = new Asset(assembly.Location, name.Version, FileVersion(assembly.Location));
            if (host.TryGetValue(name.Name!, out var shipped))
            {
                // The host's own entry in its deps.json states no version (it is the application itself).
                if (shipped.AssemblyVersion is null)
                {
                    continue;
                }

                if (shipped.AssemblyVersion != loaded.AssemblyVersion || (shipped.FileVersion is not null && shipped.FileVersion != loaded.FileVersion))
                {
                    differences.Add($"{name.Name}: host {Describe(shipped)}, loaded by the tests {Describe(loaded)}");
                }

                continue;
            }

            var framework = frameworks.Select(f => Path.Combine(f, name.Name + ".dll")).FirstOrDefault(File.Exists);
            if (framework is not null && FileVersion(framework) != loaded.FileVersion)
            {
                differences.Add($"{name.Name}: host from the shared framework {FileVersion(framework)} ({framework}), loaded by the tests {Describe(loaded)}");
            }
        }

        return [.. differences.Distinct().Order(StringComparer.Ordinal)];
    }

    private static string Describe(Asset asset) => $"{asset.AssemblyVersion} (file {asset.FileVersion}, {asset.Library})";

    private static Version? FileVersion(string path) =>
        FileVersionInfo.GetVersionInfo(path) is { FileMajorPart: var a, FileMinorPart: var b, FileBuildPart: var c, FilePrivatePart: var d }
            ? new Version(a, b, c, d)
            : null;

    private static Version? Parse(JsonElement file, string property) =>
        file.TryGetProperty(property, out var value) && Version.TryParse(value.GetString(), out var version) ? version : null;
}
