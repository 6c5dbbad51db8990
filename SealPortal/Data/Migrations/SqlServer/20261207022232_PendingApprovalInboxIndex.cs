using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PendingApprovalInboxIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The new columns come from the workflow state (JSON), which SQL cannot read: the rows go, and the backfill at
            // the next start writes them again from each request in approval (PendingApprovalsBackfill).
            migrationBuilder.Sql("DELETE FROM [PendingApprovals];");

            migrationBuilder.DropIndex(
                name: "IX_SealRequests_ApplicantUserId_Status",
                table: "SealRequests");

            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_ApproverUserId_DueUnixMs_SinceUnixMs",
                table: "PendingApprovals");

            migrationBuilder.AddColumn<string>(
                name: "ApplicantUserId",
                table: "PendingApprovals",
                type: "nvarchar(450)",
                maxLength: 450,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DocumentType",
                table: "PendingApprovals",
                type: "nvarchar(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<long>(
                name: "DueOrder",
                table: "PendingApprovals",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "Urgent",
                table: "PendingApprovals",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_ApplicantUserId_Id",
                table: "SealRequests",
                columns: new[] { "ApplicantUserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_ApplicantUserId_Status_Id",
                table: "SealRequests",
                columns: new[] { "ApplicantUserId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_Inbox",
                table: "PendingApprovals",
                columns: new[] { "ApproverUserId", "DueOrder", "SinceUnixMs", "SealRequestId", "ApplicantUserId", "Urgent", "DocumentType" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SealRequests_ApplicantUserId_Id",
                table: "SealRequests");

            migrationBuilder.DropIndex(
                name: "IX_SealRequests_ApplicantUserId_Status_Id",
                table: "SealRequests");

            migrationBuilder.DropIndex(
                name: "IX_PendingApprovals_Inbox",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "ApplicantUserId",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "DocumentType",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "DueOrder",
                table: "PendingApprovals");

            migrationBuilder.DropColumn(
                name: "Urgent",
                table: "PendingApprovals");

            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_ApplicantUserId_Status",
                table: "SealRequests",
                columns: new[] { "ApplicantUserId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_ApproverUserId_DueUnixMs_SinceUnixMs",
                table: "PendingApprovals",
                columns: new[] { "ApproverUserId", "DueUnixMs", "SinceUnixMs" });
        }
    }
}
