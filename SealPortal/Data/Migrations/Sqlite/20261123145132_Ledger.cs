using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Ledger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    FormatVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ActorUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SourceAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LedgerEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    FormatVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SealRequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    RequestNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    SealId = table.Column<int>(type: "INTEGER", nullable: false),
                    SealName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ApplicantUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ApplicantName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    DepartmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    DepartmentName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AppliedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ApproversJson = table.Column<string>(type: "TEXT", nullable: false),
                    ApprovedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExecutorUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ExecutorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ExecutedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DocumentId = table.Column<int>(type: "INTEGER", nullable: true),
                    DocumentName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    DocumentSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Copies = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerEntries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Action_Sequence",
                table: "AuditEvents",
                columns: new[] { "Action", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Actor_Sequence",
                table: "AuditEvents",
                columns: new[] { "Actor", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_At",
                table: "AuditEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Sequence",
                table: "AuditEvents",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_ApplicantUserId_Sequence",
                table: "LedgerEntries",
                columns: new[] { "ApplicantUserId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_DepartmentId_Sequence",
                table: "LedgerEntries",
                columns: new[] { "DepartmentId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_DocumentSha256",
                table: "LedgerEntries",
                column: "DocumentSha256");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_ExecutedAt",
                table: "LedgerEntries",
                column: "ExecutedAt");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_ExecutorUserId_Sequence",
                table: "LedgerEntries",
                columns: new[] { "ExecutorUserId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_Kind_Sequence",
                table: "LedgerEntries",
                columns: new[] { "Kind", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_SealId_Sequence",
                table: "LedgerEntries",
                columns: new[] { "SealId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_SealRequestId",
                table: "LedgerEntries",
                column: "SealRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_LedgerEntries_Sequence",
                table: "LedgerEntries",
                column: "Sequence",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "LedgerEntries");
        }
    }
}
