using SealPortal.Workflow;
using static SealPortal.Tests.Workflow.WorkflowWorld;

namespace SealPortal.Tests.Workflow;

public class TemplateSelectionTests
{
    private static WorkflowTemplate Named(string key, int version = 1) => Standard(version) with { Key = key, Name = key };

    private static readonly WorkflowCatalog Catalog = new(
        Rules:
        [
            new TemplateRule(new RequestCondition { SealTypes = ["Official"] }, "official"),
            new TemplateRule(new RequestCondition { DocumentTypes = ["Contract"], AmountAtLeast = 1_000_000m }, "big-contract"),
            new TemplateRule(new RequestCondition { DocumentTypes = ["Contract"] }, "contract"),
        ],
        DefaultTemplateKey: "default",
        Templates: [Named("official"), Named("big-contract"), Named("contract"), Named("contract", 3), Named("contract", 2), Named("default")]);

    [Fact]
    public void First_matching_rule_wins_and_the_default_catches_the_rest()
    {
        Assert.Equal("official", Catalog.Select(Facts(amount: 5_000_000m, sealId: "S-OFFICIAL", sealType: "Official"))!.Key);
        Assert.Equal("big-contract", Catalog.Select(Facts(amount: 1_000_000m))!.Key);
        Assert.Equal("contract", Catalog.Select(Facts(amount: 999_999.99m))!.Key);
        Assert.Equal("contract", Catalog.Select(Facts(amount: null))!.Key);
        Assert.Equal("default", Catalog.Select(Facts(documentType: "Certificate"))!.Key);
    }

    [Fact]
    public void The_highest_version_of_the_chosen_template_is_used()
    {
        Assert.Equal(3, Catalog.Select(Facts())!.Version);
    }

    [Fact]
    public void Start_with_a_catalog_snapshots_the_selected_template()
    {
        var state = Applied(Engine().Start(Facts(amount: 2_000_000m), Catalog, FridayMorning));
        Assert.Equal(("big-contract", 1), (state.Template.Key, state.Template.Version));
    }

    [Fact]
    public void A_rule_naming_a_missing_template_is_refused_clearly()
    {
        var catalog = Catalog with { DefaultTemplateKey = "gone" };
        var result = Engine().Start(Facts(documentType: "Certificate"), catalog, FridayMorning);
        Assert.Equal(WorkflowOutcome.Refused, result.Outcome);
        Assert.Equal(RefusalCode.NoTemplate, result.Refusal!.Code);
        Assert.Contains("'gone'", result.Refusal.Message);
        Assert.Null(result.State);
    }

    [Fact]
    public void Combined_conditions_need_every_criterion()
    {
        var condition = new RequestCondition { AmountAtLeast = 100m, AmountBelow = 200m, DocumentTypes = ["Contract"], SealTypes = ["Contract", "Finance"] };
        Assert.True(condition.Matches(Facts(amount: 100m)));
        Assert.True(condition.Matches(Facts(amount: 199.99m, sealType: "Finance")));
        Assert.False(condition.Matches(Facts(amount: 200m)));
        Assert.False(condition.Matches(Facts(amount: 99m)));
        Assert.False(condition.Matches(Facts(amount: null)));
        Assert.False(condition.Matches(Facts(amount: 150m, documentType: "Letter")));
        Assert.False(condition.Matches(Facts(amount: 150m, sealType: "Official")));
    }

    [Fact]
    public void An_invalid_template_is_refused_with_its_problems()
    {
        var broken = Standard() with
        {
            Nodes = [.. Standard().Nodes, Standard().Nodes[0] with { Approvers = ApproverSpec.Users() }],
        };
        var result = Engine().Start(Facts(), broken, FridayMorning);
        Assert.Equal(RefusalCode.InvalidTemplate, result.Refusal!.Code);
        Assert.Contains("more than one node with id 'dept'", result.Refusal.Message);
        Assert.Contains("at least one user id", result.Refusal.Message);
    }
}
