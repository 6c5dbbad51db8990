using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using SealPortal.Data;

namespace SealPortal.Tests.Data;

/// <summary>
/// A change to the model needs a migration for each provider (see README, "Adding a migration").
/// Neither check connects to a database.
/// </summary>
public class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = new SqliteSealPortalDbContext(new DbContextOptionsBuilder<SqliteSealPortalDbContext>()
            .UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQLite migration.");
    }

    [Fact]
    public void Postgres_migrations_match_the_model()
    {
        using var db = new PostgresSealPortalDbContext(new DbContextOptionsBuilder<PostgresSealPortalDbContext>()
            .UseNpgsql("Host=unused.invalid;Database=unused").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration.");
    }

    [Fact]
    public void Each_provider_sees_only_its_own_migrations()
    {
        using var sqlite = new SqliteSealPortalDbContext(new DbContextOptionsBuilder<SqliteSealPortalDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var pg = new PostgresSealPortalDbContext(new DbContextOptionsBuilder<PostgresSealPortalDbContext>().UseNpgsql("Host=unused.invalid").Options);
        var sqliteTypes = sqlite.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Migrations.Values.Select(t => t.Namespace).Distinct();
        var pgTypes = pg.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly>().Migrations.Values.Select(t => t.Namespace).Distinct();
        Assert.Equal(["SealPortal.Data.Migrations.Sqlite"], sqliteTypes);
        Assert.Equal(["SealPortal.Data.Migrations.Postgres"], pgTypes);
    }
}
