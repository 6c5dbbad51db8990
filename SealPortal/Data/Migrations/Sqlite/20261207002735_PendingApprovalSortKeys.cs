using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PendingApprovalSortKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The rows are rebuilt from each request's workflow state at the next start (PendingApprovalsBackfill),
            // with the new sort keys filled in.
            migrationBuilder.Sql("DELETE FROM \"PendingApprovals\";");

            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_ApproverUserId",
                table: "PendingApprovals");

            migrationBuilder.AddColumn<long>(
                name: "DueUnixMs",
                table: "PendingApprovals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SinceUnixMs",
                table: "PendingApprovals",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_ApproverUserId_DueUnixMs_SinceUnixMs",
                table: "PendingApprovals",
                columns: new[] { "ApproverUserId", "DueUnixMs", "SinceUnixMs" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_ApproverUserId_DueUnixMs_SinceUnixMs",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "DueUnixMs",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "SinceUnixMs",
                table: "PendingApprovals");

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_ApproverUserId",
                table: "PendingApprovals",
                column: "ApproverUserId");
        }
    }
}
