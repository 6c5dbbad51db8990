using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppendOnlyLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerParticipants",
                columns: table => new
                {
                    LedgerEntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ExecutedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Participation = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerParticipants", x => new { x.LedgerEntryId, x.UserId });
                    table.ForeignKey(
                        name: "FK_LedgerParticipants_LedgerEntries_LedgerEntryId",
                        column: x => x.LedgerEntryId,
                        principalTable: "LedgerEntries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerParticipants_UserId_ExecutedAt_Sequence",
                table: "LedgerParticipants",
                columns: new[] { "UserId", "ExecutedAt", "Sequence" });

            LedgerParticipantBackfill.Run(migrationBuilder, DatabaseProvider.Sqlite);

            // The database itself refuses edits and deletions of the two chains and of the participants derived from the ledger.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerEntries");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "AuditEvents");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerParticipants");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerParticipants");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "AuditEvents");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "LedgerEntries");

            migrationBuilder.DropTable(
                name: "LedgerParticipants");
        }
    }
}
