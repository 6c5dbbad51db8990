using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppendOnlyTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // No model change: the database itself refuses edits and deletions of the two chains.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerEntries");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "AuditEvents");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "AuditEvents");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerEntries");
        }
    }
}
