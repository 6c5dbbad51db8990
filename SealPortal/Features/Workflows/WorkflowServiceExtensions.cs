using SealPortal.Features.Authorizations;

namespace SealPortal.Features.Workflows;

public static class WorkflowServiceExtensions
{
    public static WebApplicationBuilder AddSealPortalWorkflows(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<WorkflowTemplateStore>();
        builder.Services.AddScoped<DelegationService>();
        builder.Services.AddScoped<WorkflowTestCases>();
        builder.Services.AddScoped<SealAuthorizationService>();
        return builder;
    }
}
