using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Sealing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DecisionRecordSha256",
                table: "SealRequests",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PhysicalStampings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SealRequestId = table.Column<int>(type: "integer", nullable: false),
                    SealId = table.Column<int>(type: "integer", nullable: false),
                    StampedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Copies = table.Column<int>(type: "integer", nullable: false),
                    ExecutorUserId = table.Column<string>(type: "text", nullable: false),
                    RecordedByUserId = table.Column<string>(type: "text", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ScanSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ScanFileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    ScanContentType = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PhysicalStampings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PhysicalStampings_AspNetUsers_ExecutorUserId",
                        column: x => x.ExecutorUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PhysicalStampings_AspNetUsers_RecordedByUserId",
                        column: x => x.RecordedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PhysicalStampings_SealRequests_SealRequestId",
                        column: x => x.SealRequestId,
                        principalTable: "SealRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PhysicalStampings_Seals_SealId",
                        column: x => x.SealId,
                        principalTable: "Seals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PhysicalStampings_ExecutorUserId",
                table: "PhysicalStampings",
                column: "ExecutorUserId");

            migrationBuilder.CreateIndex(
                name: "IX_PhysicalStampings_RecordedByUserId",
                table: "PhysicalStampings",
                column: "RecordedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_PhysicalStampings_SealId",
                table: "PhysicalStampings",
                column: "SealId");

            migrationBuilder.CreateIndex(
                name: "IX_PhysicalStampings_SealRequestId_SealId",
                table: "PhysicalStampings",
                columns: new[] { "SealRequestId", "SealId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PhysicalStampings");

            migrationBuilder.DropColumn(
                name: "DecisionRecordSha256",
                table: "SealRequests");
        }
    }
}
