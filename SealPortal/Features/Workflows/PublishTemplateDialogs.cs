using Microsoft.Extensions.Localization;
using MudBlazor;
using SealPortal.Resources;
using SealPortal.Workflow;

namespace SealPortal.Features.Workflows;

/// <summary>Opens <see cref="PublishTemplateDialog"/>: true when the administrator confirmed publishing.</summary>
public static class PublishTemplateDialogs
{
    public static async Task<bool> ConfirmAsync(IDialogService dialogs, IStringLocalizer<SharedResource> L, WorkflowTemplate template, int version, string message)
    {
        var parameters = new DialogParameters<PublishTemplateDialog>
        {
            { d => d.Template, template },
            { d => d.Version, version },
            { d => d.Message, message },
        };
        var dialog = await dialogs.ShowAsync<PublishTemplateDialog>(L["Publish version {0}", version], parameters,
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });
        var result = await dialog.Result;
        return result is { Canceled: false, Data: true };
    }
}
