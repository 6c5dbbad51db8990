using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // Rows written before: each gets its entry's seal (the table's append-only guard is lifted for it).
            LedgerParticipantBackfill.CopySealIds(migrationBuilder, DatabaseProvider.Sqlite);

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

            // SQL, not DropColumn: EF would rebuild the table, and the rebuilt table would lose its append-only triggers.
            migrationBuilder.Sql("ALTER TABLE \"LedgerParticipants\" DROP COLUMN \"SealId\";");
        }
    }
}
