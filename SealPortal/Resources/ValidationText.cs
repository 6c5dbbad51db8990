using System.Globalization;
using System.Resources;

namespace SealPortal.Resources;

/// <summary>
/// Validation messages for data-annotation attributes (ErrorMessageResourceType), looked up in
/// the shared string table in the request's language when validation runs.
/// </summary>
public static class ValidationText
{
    private static readonly ResourceManager Strings = new(typeof(SharedResource).FullName!, typeof(SharedResource).Assembly);

    private static string Get(string key) => Strings.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string EnterUserName => Get("Enter your user name.");
    public static string EnterPassword => Get("Enter your password.");
    public static string EnterCurrentPassword => Get("Enter your current password.");
    public static string EnterNewPassword => Get("Enter a new password.");
    public static string NewPasswordTooShort => Get("The new password needs at least 12 characters.");
    public static string PasswordsDiffer => Get("The two new passwords differ.");
    public static string EnterAUserName => Get("Enter a user name.");
    public static string EnterADisplayName => Get("Enter a display name.");
}
