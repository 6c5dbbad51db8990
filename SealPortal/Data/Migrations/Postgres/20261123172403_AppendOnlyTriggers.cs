using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AppendOnlyTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No model change: the database itself refuses edits and deletions of the two chains.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "LedgerEntries");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "AuditEvents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "AuditEvents");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "LedgerEntries");
        }
    }
}
