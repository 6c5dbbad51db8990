using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SealPortal.Features.Requests;

namespace SealPortal.Tests.Features.Requests;

/// <summary>
/// A grid row's seal names: a grid that fits its card may wrap between names but never inside one, so each name is
/// its own unbreakable span and the text reads as before ("A, B").
/// </summary>
public sealed class SealNameListTests : IDisposable
{
    private readonly BunitContext context = new();

    // The portal's _Imports gives every component the shared localizer.
    public SealNameListTests() => context.Services.AddLocalization();

    [Fact]
    public void Each_name_is_kept_whole_and_the_text_is_a_comma_list()
    {
        var list = context.Render<SealNameList>(p => p.Add(c => c.Names, ["公司电子公章", "合同专用章", "财务专用章"]));

        var spans = list.FindAll("span.portal-nowrap");
        Assert.Equal(["公司电子公章,", "合同专用章,", "财务专用章"], spans.Select(s => s.TextContent));
        Assert.Equal("公司电子公章, 合同专用章, 财务专用章", list.Markup.Replace("<span class=\"portal-nowrap\">", "").Replace("</span>", "").Trim());
    }

    [Fact]
    public void One_name_has_no_comma_and_none_draws_nothing()
    {
        Assert.Equal("公司公章", context.Render<SealNameList>(p => p.Add(c => c.Names, ["公司公章"])).Find("span.portal-nowrap").TextContent);
        Assert.Empty(context.Render<SealNameList>(p => p.Add(c => c.Names, [])).FindAll("span"));
    }

    public void Dispose() => context.Dispose();
}
