using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SealPortal.Data;

// dotnet-ef uses these to build each provider's model without starting the web host.
// Making a migration never connects, so the connection strings are placeholders.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSealPortalDbContext>
{
    public SqliteSealPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSealPortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSealPortalDbContext>
{
    public PostgresSealPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSealPortalDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerSealPortalDbContext>
{
    public SqlServerSealPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerSealPortalDbContext>().UseSqlServer("Server=localhost;Database=design_time").Options);
}
