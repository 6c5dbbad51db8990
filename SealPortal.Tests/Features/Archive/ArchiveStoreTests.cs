using System.Security.Cryptography;
using SealPortal.Features.Archive;

namespace SealPortal.Tests.Features.Archive;

public sealed class ArchiveStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sealportal-archive-").FullName;

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Stores_under_the_sha256_of_the_content_in_a_two_letter_folder()
    {
        var store = new ArchiveStore(_root);
        var bytes = "%PDF-1.7 archive test"u8.ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var stored = await store.StoreAsync(bytes);

        Assert.Equal(expected, stored.Sha256);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.Equal(Path.Combine(_root, expected[..2], expected), store.PathOf(expected));
        Assert.True(store.Exists(expected));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(expected)));
        await using var read = store.OpenRead(expected);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Storing_the_same_bytes_again_keeps_the_first_file_and_leaves_no_temporary_files()
    {
        var store = new ArchiveStore(_root);
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var first = await store.StoreAsync(bytes);
        var written = File.GetLastWriteTimeUtc(store.PathOf(first.Sha256));

        var second = await store.StoreAsync(new MemoryStream(bytes));

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(store.PathOf(first.Sha256)));
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Stored_files_are_read_only_so_the_app_cannot_overwrite_them_by_accident()
    {
        var store = new ArchiveStore(_root);
        var stored = await store.StoreAsync("sealed once"u8.ToArray());
        var path = store.PathOf(stored.Sha256);

        Assert.True(File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly));
        if (Environment.UserName != "root")
            Assert.ThrowsAny<UnauthorizedAccessException>(() => File.WriteAllText(path, "changed"));
        Assert.Equal("sealed once", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Different_contents_get_different_files()
    {
        var store = new ArchiveStore(_root);
        var a = await store.StoreAsync("first"u8.ToArray());
        var b = await store.StoreAsync("second"u8.ToArray());

        Assert.NotEqual(a.Sha256, b.Sha256);
        Assert.Equal("first", await File.ReadAllTextAsync(store.PathOf(a.Sha256)));
        Assert.Equal("second", await File.ReadAllTextAsync(store.PathOf(b.Sha256)));
    }

    [Fact]
    public async Task A_cancelled_store_leaves_nothing_behind()
    {
        var store = new ArchiveStore(_root);
        using var cts = new CancellationTokenSource();
        var source = new CancellingStream(RandomNumberGenerator.GetBytes(200_000), cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.StoreAsync(source, cts.Token));

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("abc")]
    [InlineData("zz6f2a0b6a4a3c3e1f6f0e9f8f9a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2")]
    public void Names_that_are_not_a_sha256_are_refused(string name)
    {
        var store = new ArchiveStore(_root);
        Assert.Throws<ArgumentException>(() => store.PathOf(name));
    }

    [Fact]
    public async Task Adopting_a_flushed_file_names_it_by_its_content_read_only_and_a_second_adoption_keeps_the_first()
    {
        var store = new ArchiveStore(_root);
        var staged = Path.Combine(_root, "staged.pdf");
        var bytes = "%PDF-1.7 sealed and staged"u8.ToArray();
        await File.WriteAllBytesAsync(staged, bytes);
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var adopted = await store.AdoptAsync(staged);

        Assert.Equal(new ArchivedFile(expected, bytes.Length), adopted);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(expected)));
        Assert.True(File.GetAttributes(store.PathOf(expected)).HasFlag(FileAttributes.ReadOnly));
        // The staged file stays for its owner to remove; removing it leaves the archive's copy.
        Assert.True(File.Exists(staged));
        File.Delete(staged);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(store.PathOf(expected)));

        await File.WriteAllBytesAsync(staged, bytes);
        Assert.Equal(adopted, await store.AdoptAsync(staged));
        Assert.Equal(new[] { staged, store.PathOf(expected) }.Order(), Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Order());
    }

    [Fact]
    public void Opening_a_missing_file_says_so()
    {
        var store = new ArchiveStore(_root);
        var missing = new string('a', 64);
        Assert.False(store.Exists(missing));
        Assert.Throws<FileNotFoundException>(() => store.OpenRead(missing));
    }

    /// <summary>Hands out its bytes and cancels the token after the first read, like a client that goes away mid-upload.</summary>
    private sealed class CancellingStream(byte[] bytes, CancellationTokenSource cts) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await base.ReadAsync(buffer, cancellationToken);
            cts.Cancel();
            return read;
        }
    }
}
