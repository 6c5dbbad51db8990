using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RequestListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_ApplicantUserId_Number",
                table: "SealRequests",
                columns: new[] { "ApplicantUserId", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_SealRequests_MineSearch",
                table: "SealRequests",
                columns: new[] { "ApplicantUserId", "Purpose", "Id", "Number", "Counterparty", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SealRequests_ApplicantUserId_Number",
                table: "SealRequests");

            migrationBuilder.DropIndex(
                name: "IX_SealRequests_MineSearch",
                table: "SealRequests");
        }
    }
}
