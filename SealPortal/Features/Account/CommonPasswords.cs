using System.Collections.Frozen;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using SealPortal.Data;
using SealPortal.Resources;

namespace SealPortal.Features.Account;

/// <summary>
/// Refuses the passwords on common-passwords.txt (embedded; see its header for how a password is
/// matched), which guessing tries first and which the length and character rules let through.
/// </summary>
public sealed class CommonPasswords(IStringLocalizer<SharedResource> l) : IPasswordValidator<ApplicationUser>
{
    private static readonly FrozenSet<string> List = Load();

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = "CommonPassword", Description = l["This password is among the most common ones, which are tried first. Choose another."] })
            : IdentityResult.Success);

    public static bool IsCommon(string password)
    {
        var lower = password.Trim().ToLowerInvariant();
        var core = lower.Trim(NonLetters(lower));
        return List.Contains(lower) || List.Contains(core)
            || List.Contains(ReadAsLetters(core, one: 'i')) || List.Contains(ReadAsLetters(core, one: 'l'));
    }

    private static char[] NonLetters(string s) => s.Where(c => !char.IsLetter(c)).Distinct().ToArray();

    private static string ReadAsLetters(string s, char one)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s)
            b.Append(c switch
            {
                '@' or '4' => 'a',
                '0' => 'o',
                '1' or '!' or '|' => one,
                '3' => 'e',
                '$' or '5' => 's',
                '7' or '+' => 't',
                '8' => 'b',
                '9' => 'g',
                _ => c,
            });
        return b.ToString();
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream("SealPortal.Features.Account.common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded in the portal.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
            if (line.Trim() is { Length: > 0 } word && !word.StartsWith('#'))
                words.Add(word.ToLowerInvariant());
        return words.ToFrozenSet();
    }
}
