using SealPortal.Cli;

namespace SealPortal.Tests.Cli;

public class CliArgsTests
{
    [Fact]
    public void Parses_options_flags_and_positionals()
    {
        var a = CliArgs.Parse(["in.pdf", "--trust", "a.crt", "--trust", "b.crt", "--json"], new HashSet<string> { "json" });
        Assert.Equal(["in.pdf"], a.Positional);
        Assert.Equal(["a.crt", "b.crt"], a.GetAll("trust"));
        Assert.True(a.Flag("json"));
        Assert.Null(a.Get("out"));
    }

    [Fact]
    public void Missing_value_is_a_usage_error()
    {
        Assert.Throws<CliUsageException>(() => CliArgs.Parse(["--out"], new HashSet<string>()));
    }
}
