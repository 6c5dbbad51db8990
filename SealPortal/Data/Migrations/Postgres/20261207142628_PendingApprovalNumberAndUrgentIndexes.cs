using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PendingApprovalNumberAndUrgentIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RequestNumber",
                table: "PendingApprovals",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "");

            // The waiting requests' numbers, which the save that writes the workflow state keeps from now on.
            migrationBuilder.Sql("""
                UPDATE "PendingApprovals" SET "RequestNumber" =
                    (SELECT r."Number" FROM "SealRequests" r WHERE r."Id" = "PendingApprovals"."SealRequestId")
                """);

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_Number",
                table: "PendingApprovals",
                columns: new[] { "ApproverUserId", "RequestNumber", "SealRequestId", "ApplicantUserId", "Urgent", "DocumentType", "DueOrder" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_Urgent",
                table: "PendingApprovals",
                columns: new[] { "ApproverUserId", "Urgent", "DueOrder", "SinceUnixMs", "SealRequestId", "ApplicantUserId", "DocumentType" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_Number",
                table: "PendingApprovals");

            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_Urgent",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "RequestNumber",
                table: "PendingApprovals");
        }
    }
}
