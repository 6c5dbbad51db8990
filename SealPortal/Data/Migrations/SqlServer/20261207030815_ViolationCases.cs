using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ViolationCases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ViolationCases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Number = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    ResponsibleUserId = table.Column<string>(type: "nvarchar(450)", nullable: true),
                    DepartmentId = table.Column<int>(type: "int", nullable: false),
                    Facts = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Outcome = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    OutcomeNote = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    OpenedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    OpenedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    ClosedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationCases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ViolationCases_AspNetUsers_ResponsibleUserId",
                        column: x => x.ResponsibleUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ViolationCases_Departments_DepartmentId",
                        column: x => x.DepartmentId,
                        principalTable: "Departments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ViolationCaseEvidence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ViolationCaseId = table.Column<int>(type: "int", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ReferenceId = table.Column<long>(type: "bigint", nullable: false),
                    Summary = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    AddedBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationCaseEvidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ViolationCaseEvidence_ViolationCases_ViolationCaseId",
                        column: x => x.ViolationCaseId,
                        principalTable: "ViolationCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ViolationCaseSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    ViolationCaseId = table.Column<int>(type: "int", nullable: false),
                    Ordinal = table.Column<int>(type: "int", nullable: false),
                    At = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Actor = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    Text = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolationCaseSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ViolationCaseSteps_ViolationCases_ViolationCaseId",
                        column: x => x.ViolationCaseId,
                        principalTable: "ViolationCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCaseEvidence_Kind_ReferenceId",
                table: "ViolationCaseEvidence",
                columns: new[] { "Kind", "ReferenceId" });

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCaseEvidence_ViolationCaseId_Kind_ReferenceId",
                table: "ViolationCaseEvidence",
                columns: new[] { "ViolationCaseId", "Kind", "ReferenceId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCases_DepartmentId_OpenedAt",
                table: "ViolationCases",
                columns: new[] { "DepartmentId", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCases_Number",
                table: "ViolationCases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCases_ResponsibleUserId",
                table: "ViolationCases",
                column: "ResponsibleUserId");

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCases_Status_Id",
                table: "ViolationCases",
                columns: new[] { "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ViolationCaseSteps_ViolationCaseId_Ordinal",
                table: "ViolationCaseSteps",
                columns: new[] { "ViolationCaseId", "Ordinal" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ViolationCaseEvidence");

            migrationBuilder.DropTable(
                name: "ViolationCaseSteps");

            migrationBuilder.DropTable(
                name: "ViolationCases");
        }
    }
}
