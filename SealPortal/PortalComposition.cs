using SealPortal.Cli;
using SealPortal.Components;
using SealPortal.Data;
using SealPortal.Features.Account;
using SealPortal.Features.Admin;
using SealPortal.Features.Assessment;
using SealPortal.Features.Audits;
using SealPortal.Features.Cases;
using SealPortal.Features.Dashboard;
using SealPortal.Features.Ledger;
using SealPortal.Features.Live;
using SealPortal.Features.Notifications;
using SealPortal.Features.Requests;
using SealPortal.Features.Retention;
using SealPortal.Features.Rules;
using SealPortal.Features.Sealing;
using SealPortal.Features.Seals;
using SealPortal.Features.Training;
using SealPortal.Features.Verification;
using SealPortal.Features.Workflows;
using SealPortal.Hosting;
using SealPortal.Jobs;
using SealPortal.Resources;

namespace SealPortal;

/// <summary>Every area's services, once: the portal (Program.cs) and the sealing benchmark compose the same host.</summary>
public static class PortalComposition
{
    public static WebApplicationBuilder AddSealPortal(this WebApplicationBuilder builder)
    {
        builder.AddSealPortalLogging();
        builder.AddPrivateFiles();
        builder.AddSealPortalData();
        builder.AddSealPortalIdentity();
        builder.AddSealPortalLocalization();
        builder.AddSealPortalWeb();
        builder.AddSealPortalDashboard();
        builder.AddSealPortalSeals();
        builder.AddSealPortalAdmin();
        builder.AddSealPortalVerification();
        builder.AddSealPortalNotifications();
        builder.AddSealPortalJobs();
        builder.AddSealPortalRetention();
        builder.AddSealPortalAudits();
        builder.AddSealPortalRequests();
        builder.AddSealPortalWorkflows();
        builder.AddSealPortalLedger();
        builder.AddSealPortalSealing();
        builder.AddSealPortalLive();
        builder.AddSealPortalRules();
        builder.AddSealPortalTraining();
        builder.AddSealPortalAssessment();
        builder.AddSealPortalCases();
        return builder;
    }
}
