using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Data;
using SealPortal.Features.Requests;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf.Signing;

namespace SealPortal.Tests.Features.Requests;

/// <summary>Makes draft requests straight through <see cref="CreateDraftHandler"/>, so placement tests start at placement.</summary>
public static class RequestSeeding
{
    /// <summary>The settings that give the electronic demo seals the sample certificates (as Development does).</summary>
    public static Dictionary<string, string?> SampleCertificates => new()
    {
        ["Signing:CertificatePath"] = SamplePki.Path_("sample-seal-rsa.pfx"),
        ["Signing:CertificatePassword"] = SamplePki.Password,
    };

    public static async Task<string> UserIdAsync(IServiceProvider services, string userName)
    {
        using var scope = services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return (await users.FindByNameAsync(userName))!.Id;
    }

    public static async Task<int> SealIdAsync(IServiceProvider services, string name)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.Seals.Where(s => s.Name == name).Select(s => s.Id).SingleAsync();
    }

    /// <summary>A draft of "applicant" asking for <paramref name="sealNames"/> on the given PDFs.</summary>
    public static async Task<int> DraftAsync(IServiceProvider services, string[] sealNames, params (string Name, byte[] Bytes)[] pdfs)
    {
        var applicant = await UserIdAsync(services, "applicant");
        var sealIds = new List<int>();
        foreach (var name in sealNames)
            sealIds.Add(await SealIdAsync(services, name));
        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<CreateDraftHandler>().HandleAsync(applicant,
            new SealRequestInput("Sign the supply contract", DocumentTypes.Contract, 2, 50_000m, "示例客户有限公司", false, sealIds),
            pdfs.Select(p => new UploadedPdf(p.Name, p.Bytes.Length, () => new MemoryStream(p.Bytes))).ToList());
        Assert.True(result.Succeeded, $"draft refused: {result}");
        return result.Id!.Value;
    }

    public static async Task<List<SealRequestSeal>> PlacementsAsync(IServiceProvider services, int requestId)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SealPortalDbContext>();
        return await db.SealRequestSeals.AsNoTracking().Where(s => s.SealRequestId == requestId).OrderBy(s => s.Id).ToListAsync();
    }
}
