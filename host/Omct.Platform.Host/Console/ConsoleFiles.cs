namespace Omct.Platform.Host.Console;

/// <summary>
/// Where the staff console's build lives: <c>wwwroot/console/</c> of the host (written by build/console.sh, git-ignored;
/// copied into the image by the Dockerfile): <c>index.html</c>, the hashed <c>assets/</c>, and
/// <c>persisted-documents.json</c> (hash → document, registered at start-up, never served).
/// </summary>
internal sealed class ConsoleFiles(IWebHostEnvironment environment)
{
    public const string IndexFile = "index.html";
    public const string ManifestFile = "persisted-documents.json";
    public const string AssetsFolder = "assets";

    public string Root { get; } = Path.Combine(
        environment.WebRootPath is { Length: > 0 } webRoot ? webRoot : Path.Combine(environment.ContentRootPath, "wwwroot"), "console");

    public string IndexPath => Path.Combine(Root, IndexFile);
    public string AssetsPath => Path.Combine(Root, AssetsFolder);
    public string ManifestPath => Path.Combine(Root, ManifestFile);
    public bool IsBuilt => File.Exists(IndexPath) && Directory.Exists(AssetsPath);
}
