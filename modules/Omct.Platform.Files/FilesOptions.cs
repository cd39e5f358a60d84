using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Files;

/// <summary><c>Omct:Files</c>: what an upload may be.</summary>
public sealed class FilesOptions
{
    public const string Section = "Omct:Files";

    /// <summary>The largest file an upload may announce (<c>Upload-Length</c>), in bytes: 256 MiB by default, from 1 byte to 10 GiB.</summary>
    [Range(1L, 10L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;
}
