using Microsoft.AspNetCore.Identity;

namespace Omct.Platform.Accounts.Identity;

/// <summary>
/// The password rule: at least <see cref="MinimumLength"/> characters and not one of the common passwords of the
/// bundled list (compared without case). No composition rules (NIST SP 800-63B): length and the list do the work.
/// </summary>
internal sealed class PasswordRules : IPasswordValidator<Account>
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public static int CommonCount => Common.Value.Count;

    public static string? Problem(string? password) =>
        password is null || password.Length < MinimumLength ? $"The password must have at least {MinimumLength} characters."
        : password.Length > MaximumLength ? $"The password may have at most {MaximumLength} characters."
        : Common.Value.Contains(password.ToLowerInvariant()) ? "This password is one of the most common ones: choose another."
        : null;

    public Task<IdentityResult> ValidateAsync(UserManager<Account> manager, Account user, string? password) =>
        Task.FromResult(Problem(password) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordRule", Description = problem })
            : IdentityResult.Success);

    private static HashSet<string> Load()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("common-passwords.txt")
                           ?? throw new InvalidOperationException("The common password list is not embedded.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }

        return set;
    }
}
