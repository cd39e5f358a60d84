using System.ComponentModel.DataAnnotations;
using Omct.Platform.BuildingBlocks.Configuration;

namespace Omct.Platform.BuildingBlocks.Privacy;

/// <summary>
/// <c>Omct:Privacy</c>: the erasure ledger's file, and the master key that wraps every data key, from outside the database — exactly one of
/// <see cref="MasterKey"/> (an environment secret) and <see cref="MasterKeyFile"/> (a key file); without either the
/// host does not start. Keys are base64 of 32 random bytes (<c>head -c 32 /dev/urandom | base64</c>).
/// </summary>
public sealed class PrivacyOptions : IValidatableObject
{
    public const string Section = "Omct:Privacy";

    /// <summary>The current master key, base64 of 32 bytes (environment form <c>Omct__Privacy__MasterKey</c>).</summary>
    public string? MasterKey { get; set; }

    /// <summary>
    /// A file holding the master key instead: one base64 key per line, the first the current one, the others retired
    /// keys still readable (as <see cref="PreviousMasterKeys"/>); empty lines and lines starting with # are skipped.
    /// </summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>Retired master keys (base64), still readable: the data keys under them are re-wrapped under the current one.</summary>
    public List<string> PreviousMasterKeys { get; set; } = [];

    /// <summary>
    /// The erasure ledger: a file beside the backups (not in the database, so that restoring a backup does not take it
    /// back in time). Every erasure is appended to it; a host started on a restored database erases again everyone it
    /// lists before serving. Empty: no ledger (a restore to a moment before an erasure brings the person back; the host
    /// warns at start).
    /// </summary>
    public string? ErasureLedger { get; set; }

    /// <summary>Data keys re-wrapped per transaction by the background re-wrap.</summary>
    [Range(1, 10_000)]
    public int RewrapBatchSize { get; set; } = 500;

    /// <summary>The pause between two batches of the re-wrap, so that it leaves the database to the requests.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RewrapPause { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary><c>Omct:Privacy:MasterKey (Omct__Privacy__MasterKey)</c>: a setting of this section, for a message.</summary>
    public static string Describe(string member) => ValidatedSections.Describe($"{Section}:{member}");

    /// <summary>The current key and the retired ones, decoded (the file read now); call on validated options.</summary>
    public (byte[] Current, IReadOnlyList<byte[]> Previous) Keys()
    {
        var (keys, errors) = Read();
        return errors.Count > 0 || keys.Count == 0
            ? throw new InvalidOperationException(string.Join(" ", errors.Select(e => e.Message).DefaultIfEmpty($"{Describe(nameof(MasterKey))} is missing.")))
            : (keys[0], keys.Skip(1).ToList());
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Read().Errors.Select(e => new ValidationResult(e.Message, e.Members));

    private (List<byte[]> Keys, List<(string Message, string[] Members)> Errors) Read()
    {
        var errors = new List<(string, string[])>();
        var keys = new List<byte[]>();
        var inline = !string.IsNullOrWhiteSpace(MasterKey);
        var file = !string.IsNullOrWhiteSpace(MasterKeyFile);
        if (inline == file)
        {
            errors.Add((inline
                ? "are both set: give the master key in one of them."
                : "are both missing: the host needs a master key, kept outside the database, to wrap the keys of the personal data. " +
                  "Set one of them to base64 of 32 random bytes (head -c 32 /dev/urandom | base64), or to a file holding it; " +
                  "build/run.sh and docker-compose.yml make one. Keep it apart from the database's backups.",
                [nameof(MasterKey), nameof(MasterKeyFile)]));
            return (keys, errors);
        }

        if (inline)
        {
            Decode(MasterKey!, nameof(MasterKey), "is not base64 of 32 bytes.");
        }
        else
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(MasterKeyFile!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                errors.Add(($"cannot be read ({e.GetType().Name}): {e.Message}", [nameof(MasterKeyFile)]));
                return (keys, errors);
            }

            var given = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            if (given.Count == 0)
            {
                errors.Add(("holds no key: one base64 key of 32 bytes per line, the current one first.", [nameof(MasterKeyFile)]));
            }

            for (var i = 0; i < given.Count; i++)
            {
                Decode(given[i], nameof(MasterKeyFile), $"has a key that is not base64 of 32 bytes (key {i + 1}).");
            }
        }

        for (var i = 0; i < PreviousMasterKeys.Count; i++)
        {
            Decode(PreviousMasterKeys[i], nameof(PreviousMasterKeys), $"has a key that is not base64 of 32 bytes (item {i}).");
        }

        return (keys, errors);

        // The value itself is never in a message.
        void Decode(string value, string member, string problem)
        {
            var bytes = new byte[64];
            if (Convert.TryFromBase64String(value.Trim(), bytes, out var written) && written == 32)
            {
                keys.Add(bytes[..32]);
            }
            else
            {
                errors.Add((problem, [member]));
            }
        }
    }
}
