using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using SealPortal.Resources;

namespace SealPortal.Features.Account;

/// <summary>The Identity messages a user can meet on our pages (password rules, names), in the request's language.</summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    private IdentityError Error(string code, string key, params object[] args) =>
        new() { Code = code, Description = string.Format(l[key], args) };

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "The password is not correct.");
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), "Passwords need at least {0} characters.", length);
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "Passwords need a digit (0-9).");
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "Passwords need a lower-case letter (a-z).");
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "Passwords need an upper-case letter (A-Z).");
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), "The user name {0} is already taken.", userName);
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "The user name {0} may contain only letters, digits and - . _ @ +", userName ?? "");
}
