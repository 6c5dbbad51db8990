using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using SealPortal.Features.Verification;
using SealPortal.Tests.Infrastructure;
using SealPortal.Tests.Pdf;

namespace SealPortal.Tests.Features.Verification;

public class TrustAnchorsTests
{
    private static TrustAnchors Load(string? setting, string contentRoot) => new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [TrustAnchors.ConfigKey] = setting }).Build(),
        new HostingEnvironment { ContentRootPath = contentRoot },
        NullLogger<TrustAnchors>.Instance);

    [Fact]
    public void A_folder_a_relative_file_and_a_pem_bundle_are_all_read()
    {
        var dir = PdfTestKit.NewTempDir("trust-anchors");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(dir, "roots")).FullName;
            File.Copy(Path.Combine(PdfTestKit.CertsDir, "sample-root-ca.crt"), Path.Combine(folder, "root.crt"));
            File.Copy(Path.Combine(PdfTestKit.CertsDir, "sample-tsa.crt"), Path.Combine(folder, "tsa.pem"));
            File.WriteAllText(Path.Combine(folder, "notes.txt"), "not a certificate, and not read");

            var anchors = Load($"roots ; {Path.Combine(PdfTestKit.CertsDir, "sample-chain.crt")}", dir);

            Assert.Empty(anchors.Problems);
            Assert.Contains(anchors.Certificates, c => c.Subject.Contains("Root", StringComparison.Ordinal));
            Assert.Contains(anchors.Certificates, c => c.Subject.Contains("Intermediate", StringComparison.Ordinal));
            Assert.True(anchors.Certificates.Count >= 4);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Missing_and_unreadable_entries_are_reported_not_thrown()
    {
        var dir = PdfTestKit.NewTempDir("trust-anchors");
        try
        {
            File.WriteAllText(Path.Combine(dir, "broken.crt"), "garbage");
            Directory.CreateDirectory(Path.Combine(dir, "empty"));

            var anchors = Load("missing.crt;broken.crt;empty", dir);

            Assert.Empty(anchors.Certificates);
            Assert.Equal(3, anchors.Problems.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void No_setting_means_no_anchors_and_no_problem()
    {
        var anchors = Load(null, Path.GetTempPath());
        Assert.Empty(anchors.Certificates);
        Assert.Empty(anchors.Problems);
    }
}

/// <summary>A portal without trusted roots: intact signatures are amber, and the page says why.</summary>
public sealed class NoAnchorsPortal : SealPortalFactory;

public class VerificationWithoutAnchorsTests(NoAnchorsPortal portal) : IClassFixture<NoAnchorsPortal>
{
    [Fact]
    public async Task An_intact_seal_is_amber_when_no_roots_are_trusted()
    {
        var (ui, page) = await VerifyPageDriver.OpenAsync(portal, "admin");
        await using var _ = ui;
        Assert.NotNull(page.Find("[data-testid=anchors-warning]"));

        VerifyPageDriver.Upload(page, await VerificationFiles.SealedAsync(), "sealed.pdf");

        var verdict = VerifyPageDriver.Verdict(page);
        Assert.Equal("ValidTrustNotChecked", verdict.GetAttribute("data-verdict"));
        Assert.Contains("mud-alert-outlined-warning", verdict.ClassName);
        Assert.StartsWith("Not checked", VerifyPageDriver.TextOf(page, "[data-testid=trust]"));
    }
}
