using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LedgerParticipantSeal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "SealId",
                table: "LedgerParticipants",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Rows written before: each gets its entry's seal (the table's append-only guard is lifted for it).
            LedgerParticipantBackfill.CopySealIds(migrationBuilder, DatabaseProvider.Postgres);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerParticipants_UserId_SealId_ExecutedAt_Sequence",
                table: "LedgerParticipants",
                columns: new[] { "UserId", "SealId", "ExecutedAt", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerParticipants_UserId_SealId_ExecutedAt_Sequence",
                table: "LedgerParticipants");

            migrationBuilder.DropColumn(
                name: "SealId",
                table: "LedgerParticipants");
        }
    }
}
