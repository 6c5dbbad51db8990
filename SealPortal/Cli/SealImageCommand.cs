using System.CommandLine;
using SealPortal.Features.Seals.Imaging;

namespace SealPortal.Cli;

/// <summary>
/// seal-image --org NAME --name SEALNAME --out FILE [--code CODE] [--size PX] [--color #RRGGBB] [--font PATH]
/// Draws a round seal as a transparent PNG. The file appears only when the image is complete.
/// </summary>
public static class SealImageCommand
{
    public static Command Create()
    {
        var organisation = new Option<string>("--org") { Required = true, HelpName = "NAME", Description = "the organisation's name, along the upper arc" };
        var sealName = new Option<string>("--name") { Required = true, HelpName = "SEALNAME", Description = "the seal's name, under the star (e.g. 合同专用章)" };
        var output = new Option<string>("--out") { Required = true, HelpName = "FILE", Description = "the PNG to write" };
        var code = new Option<string?>("--code") { HelpName = "CODE", Description = "an optional code along the lower arc" };
        var size = new Option<string?>("--size") { HelpName = "PX", Description = $"width and height in pixels (default {SealImageSpec.DefaultSizePx})" };
        var color = new Option<string?>("--color") { HelpName = "#RRGGBB", Description = "the ink colour (default #E60000)" };
        var font = new Option<string?>("--font") { HelpName = "PATH", Description = "a CJK font file (default: the installed Noto Sans CJK or another CJK font)" };
        var command = new Command("seal-image", "Draw a round seal as a transparent PNG.") { organisation, sealName, output, code, size, color, font };
        command.SetAction(p => RunAsync(p.GetRequiredValue(organisation), p.GetRequiredValue(sealName), p.GetRequiredValue(output),
            p.GetValue(code), p.GetValue(size), p.GetValue(color), p.GetValue(font)));
        return command;
    }

    private static async Task<int> RunAsync(string organisation, string sealName, string output,
        string? code = null, string? sizeText = null, string? colorText = null, string? fontPath = null)
    {
        var size = SealImageSpec.DefaultSizePx;
        if (sizeText is not null && !int.TryParse(sizeText, out size))
            throw new CliUsageException($"--size must be a whole number of pixels, got '{sizeText}'");

        var directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
        if (!Directory.Exists(directory))
            throw new CliUsageException($"the folder of --out does not exist: {directory}");

        byte[] png;
        try
        {
            var color = colorText is null ? SealColor.OfficialRed : SealColor.Parse(colorText);
            var generator = new SealImageGenerator(CjkFontLocator.Default.Load(fontPath));
            png = generator.GeneratePng(new SealImageSpec(organisation, sealName)
            {
                Code = code,
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
