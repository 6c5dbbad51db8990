using Microsoft.AspNetCore.Identity;

namespace SealPortal.Data;

/// <summary>A person who signs in to the portal. Every user belongs to one department.</summary>
public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    public int? DepartmentId { get; set; }

    public Department? Department { get; set; }

    /// <summary>"zh-CN" or "en"; null until the user picks a language.</summary>
    public string? PreferredCulture { get; set; }
}
