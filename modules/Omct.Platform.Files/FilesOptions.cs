using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Files;

/// <summary><c>Omct:Files</c>: what an upload may be, where the content is stored, how it is scanned, when an abandoned upload goes.</summary>
public sealed class FilesOptions : IValidatableObject
{
    public const string Section = "Omct:Files";

    /// <summary>The largest file an upload may announce (<c>Upload-Length</c>), in bytes: 256 MiB by default, from 1 byte to 10 GiB.</summary>
    [Range(1L, 10L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The largest image (width × height) that is decoded to remove its metadata and make its thumbnail: 40 million pixels by default, from 1 million to 100 million (4 bytes a pixel in memory).</summary>
    [Range(1_000_000L, 100_000_000L)]
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Where the encrypted chunks are kept: <c>postgres</c> (default: the platform's database) or <c>s3</c> (an S3-compatible object store, <see cref="S3"/>).</summary>
    public string Store { get; set; } = "postgres";

    /// <summary>The object store when <see cref="Store"/> is <c>s3</c>.</summary>
    public S3StoreOptions S3 { get; set; } = new();

    /// <summary>
    /// <c>host:port</c> of a ClamAV daemon (clamd): when set, each completed upload is scanned (INSTREAM) before it can be
    /// attached, and refused when found infected or when clamd cannot be asked (fail closed). Empty (default): no scan.
    /// </summary>
    public string? Clamd { get; set; }

    /// <summary>Seconds clamd may take to answer for one upload (default 120, from 5 to 3600).</summary>
    [Range(5, 3600)]
    public int ClamdTimeoutSeconds { get; set; } = 120;

    /// <summary>Hours after its creation an upload never completed or never attached is deleted with its content and key (default 24, from 1 to 720).</summary>
    [Range(1, 720)]
    public int AbandonedUploadHours { get; set; } = 24;

    public bool UsesS3 => string.Equals(Store, "s3", StringComparison.OrdinalIgnoreCase);

    /// <summary>The clamd address, or null when no scan is configured.</summary>
    public (string Host, int Port)? ClamdEndpoint()
    {
        if (string.IsNullOrWhiteSpace(Clamd))
        {
            return null;
        }

        var colon = Clamd.LastIndexOf(':');
        return colon > 0 && int.TryParse(Clamd[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
                         && port is >= 1 and <= 65535
            ? (Clamd[..colon].Trim('[', ']'), port)
            : throw new InvalidOperationException($"Not host:port: '{Clamd}'.");
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesS3 && !string.Equals(Store, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"must be postgres or s3, not '{Store}'.", [nameof(Store)]);
        }

        if (!string.IsNullOrWhiteSpace(Clamd))
        {
            var valid = true;
            try
            {
                ClamdEndpoint();
            }
            catch (InvalidOperationException)
            {
                valid = false;
            }

            if (!valid)
            {
                yield return new ValidationResult($"must be host:port (e.g. 127.0.0.1:3310), not '{Clamd}'.", [nameof(Clamd)]);
            }
        }

        if (!UsesS3)
        {
            yield break;
        }

        if (!Uri.TryCreate(S3.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"must be the object store's http(s) URL when Store is s3, not '{S3.ServiceUrl}'.", ["S3:ServiceUrl"]);
        }

        // S3's bucket naming rules: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.
        if (S3.Bucket is not { Length: >= 3 and <= 63 } bucket || !bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-')
            || !char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            yield return new ValidationResult($"must be a bucket name (3 to 63 of a-z, 0-9, '.', '-') when Store is s3, not '{S3.Bucket}'.", ["S3:Bucket"]);
        }

        if (string.IsNullOrWhiteSpace(S3.AccessKey))
        {
            yield return new ValidationResult("is required when Store is s3.", ["S3:AccessKey"]);
        }

        if (string.IsNullOrWhiteSpace(S3.SecretKey))
        {
            yield return new ValidationResult("is required when Store is s3.", ["S3:SecretKey"]);
        }

        if (string.IsNullOrWhiteSpace(S3.Region))
        {
            yield return new ValidationResult("is required when Store is s3 (e.g. us-east-1).", ["S3:Region"]);
        }
    }
}

/// <summary><c>Omct:Files:S3</c>: an S3-compatible object store (AWS S3, MinIO, Ceph, Garage…).</summary>
public sealed class S3StoreOptions
{
    /// <summary>The endpoint, e.g. <c>https://s3.eu-central-1.amazonaws.com</c> or <c>http://minio:9000</c>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket, which must exist; objects are <c>files/{file id}/{chunk index}</c>.</summary>
    public string? Bucket { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>The region requests are signed for (default us-east-1).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Path-style addressing (<c>{url}/{bucket}/{key}</c>) instead of a virtual host per bucket: what most self-hosted stores need (default true).</summary>
    public bool ForcePathStyle { get; set; } = true;
}
