using Microsoft.AspNetCore.Identity;
using SealPortal.Data;

namespace SealPortal.Features.Account;

/// <summary>Why a sign-in was refused; for the log and the audit trail only, never for the browser.</summary>
public enum SignInRefusal
{
    None,
    UnknownUser,
    Locked,
    WrongPassword,
}

/// <summary>
/// Checks a user name and password so that an unknown user, a locked account and a wrong password
/// cost the same (one password hash each, no write) and look the same to the browser. Failures do
/// not count towards a lockout: an anonymous client could otherwise lock any account, the
/// administrator's included, with a few posts. Guessing is bounded by <see cref="SignInLimits"/>
/// instead; an administrator's lock still refuses the account.
/// </summary>
public sealed class PasswordSignIn(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser Nobody = new();
    private static string? nobodysHash;

    public async Task<(ApplicationUser? User, SignInRefusal Refusal)> SignInAsync(string userName, string password)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null)
        {
            HashInVain(password);
            return (null, SignInRefusal.UnknownUser);
        }
        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            // CheckPasswordSignInAsync would answer a locked account without hashing, in a fraction of the time.
            HashInVain(password);
            return (null, SignInRefusal.Locked);
        }
        var checkedPassword = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!checkedPassword.Succeeded)
            return (null, SignInRefusal.WrongPassword);
        await signIn.SignInAsync(user, isPersistent: false);
        return (user, SignInRefusal.None);
    }

    /// <summary>Verifies the password against a hash made with the same hasher and settings, and ignores the answer.</summary>
    private void HashInVain(string password)
    {
        nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString("N"));
        hasher.VerifyHashedPassword(Nobody, nobodysHash, password);
    }
}
