using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
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
                    LedgerEntryId = table.Column<long>(type: "bigint", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ExecutedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Participation = table.Column<int>(type: "integer", nullable: false)
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

            LedgerParticipantBackfill.Run(migrationBuilder, DatabaseProvider.Postgres);

            // The database itself refuses edits and deletions of the two chains and of the participants derived from the ledger.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "LedgerEntries");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "AuditEvents");
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "LedgerParticipants");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "LedgerParticipants");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "AuditEvents");
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "LedgerEntries");

            migrationBuilder.DropTable(
                name: "LedgerParticipants");
        }
    }
}
