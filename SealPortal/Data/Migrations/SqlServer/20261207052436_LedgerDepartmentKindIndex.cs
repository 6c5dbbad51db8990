using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class LedgerDepartmentKindIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_DepartmentId_Kind_ExecutedAt_Sequence",
                table: "LedgerEntries",
                columns: new[] { "DepartmentId", "Kind", "ExecutedAt", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_LedgerEntries_DepartmentId_Kind_ExecutedAt_Sequence",
                table: "LedgerEntries");
        }
    }
}
