using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Cli;

/// <summary>
/// seal-image --org NAME --name SEALNAME --out FILE [--code CODE] [--size PX] [--color #RRGGBB] [--font PATH]
/// Draws a round seal as a transparent PNG. The file appears only when the image is complete.
/// </summary>
public static class SealImageCommand
{
    public const string Usage =
        "usage: seal-image --org NAME --name SEALNAME --out FILE [--code CODE] [--size PX] [--color #RRGGBB] [--font PATH]";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = CliArgs.Parse(args, new HashSet<string>());
        if (options.Positional.Count > 0)
            throw new CliUsageException($"unexpected argument '{options.Positional[0]}'; {Usage}");
        var organisation = options.Get("org") ?? throw new CliUsageException($"missing --org; {Usage}");
        var sealName = options.Get("name") ?? throw new CliUsageException($"missing --name; {Usage}");
        var output = options.Get("out") ?? throw new CliUsageException($"missing --out; {Usage}");

        var size = SealImageSpec.DefaultSizePx;
        if (options.Get("size") is { } sizeText && !int.TryParse(sizeText, out size))
            throw new CliUsageException($"--size must be a whole number of pixels, got '{sizeText}'");

        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory))
            throw new CliUsageException($"the folder of --out does not exist: {directory}");

        byte[] png;
        try
        {
            var color = options.Get("color") is { } colorText ? SealColor.Parse(colorText) : SealColor.OfficialRed;
            var generator = new SealImageGenerator(CjkFontLocator.Default.Load(options.Get("font")));
            png = generator.GeneratePng(new SealImageSpec(organisation, sealName)
            {
                Code = options.Get("code"),
                SizePx = size,
                Color = color,
            });
        }
        catch (Exception ex) when (ex is SealImageException or FontNotFoundException or FontFormatException)
        {
            throw new CliUsageException(ex.Message);
        }

        // Written beside the target and renamed, so a failure never leaves half a PNG under the requested name.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, png);
            File.Move(temporary, output, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot write {output}: {ex.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
        Console.WriteLine($"wrote {output} ({size}x{size}, {png.Length} bytes)");
        return 0;
    }
}
