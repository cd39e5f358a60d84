using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Files;

/// <summary><c>Omct:Files</c>: what an upload may be.</summary>
public sealed class FilesOptions
{
    public const string Section = "Omct:Files";

    /// <summary>The largest file an upload may announce (<c>Upload-Length</c>), in bytes: 256 MiB by default, from 1 byte to 10 GiB.</summary>
    [Range(1L, 10L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The largest image (width × height) that is decoded to remove its metadata and make its thumbnail: 40 million pixels by default, from 1 million to 100 million (4 bytes a pixel in memory).</summary>
    [Range(1_000_000L, 100_000_000L)]
    public long MaxImagePixels { get; set; } = 40_000_000;
}
