using System.ComponentModel.DataAnnotations;

namespace Omct.Platform.Access;

/// <summary><c>Omct:Security</c> settings.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Omct:Security";

    /// <summary>When set, this key authenticates as an ADMIN with RESTRICTED clearance (first start, tests).</summary>
    [MinLength(16, ErrorMessage = "{0} must be at least {1} characters long.")]
    public string? BootstrapAdminApiKey { get; set; }
}
