using SealPortal.Features.Audits;

namespace SealPortal.Tests.Features.Audits;

public class AuditSamplerTests
{
    [Theory]
    [InlineData("10", 10, false)]
    [InlineData(" 7 ", 7, false)]
    [InlineData("5%", 5, true)]
    [InlineData("100 %", 100, true)]
    [InlineData("1000", 1000, false)]
    public void Sample_rules_parse(string text, int value, bool percent) =>
        Assert.Equal(new SampleRule(value, percent), SampleRule.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("1001")]
    [InlineData("0%")]
    [InlineData("101%")]
    [InlineData("5.5")]
    [InlineData("%")]
    public void Bad_sample_rules_do_not_parse(string text) => Assert.Null(SampleRule.Parse(text));

    [Theory]
    [InlineData("10", 3, 3)]
    [InlineData("10", 50, 10)]
    [InlineData("5%", 20, 1)]
    [InlineData("5%", 21, 2)]
    [InlineData("25%", 20, 5)]
    [InlineData("100%", 7, 7)]
    public void Sample_size_follows_the_rule(string rule, int population, int size) =>
        Assert.Equal(size, SampleRule.Parse(rule)!.Value.SizeFor(population));

    [Fact]
    public void A_draw_depends_on_the_seed_not_on_the_order_of_the_population()
    {
        var ids = Enumerable.Range(1, 200).Select(i => (long)i * 7).ToList();
        var shuffled = ids.OrderBy(i => (i * 7919) % 211).ToList();

        var a = AuditSampler.Draw(ids, AuditSampler.SeedFor(1), 12);
        Assert.Equal(a, AuditSampler.Draw(shuffled, AuditSampler.SeedFor(1), 12));
        Assert.Equal(12, a.Distinct().Count());
        Assert.All(a, id => Assert.Contains(id, ids));
        Assert.NotEqual(a, AuditSampler.Draw(ids, AuditSampler.SeedFor(2), 12));
        // A larger sample with the same seed extends the smaller one: the ranks do not change.
        Assert.Equal(a, AuditSampler.Draw(ids, AuditSampler.SeedFor(1), 20).Take(12));
    }
}
