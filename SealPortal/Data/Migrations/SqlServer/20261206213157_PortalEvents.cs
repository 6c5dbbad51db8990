using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class PortalEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChainAnchors");

            migrationBuilder.CreateTable(
                name: "PortalEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    SealRequestId = table.Column<int>(type: "int", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: true),
                    UserIds = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: false),
                    Roles = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortalEvents_CreatedAt",
                table: "PortalEvents",
                column: "CreatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortalEvents");

            migrationBuilder.CreateTable(
                name: "ChainAnchors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Chain = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    HeadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    TimestampedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Token = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    TriggeredBy = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChainAnchors", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChainAnchors_Chain_Sequence",
                table: "ChainAnchors",
                columns: new[] { "Chain", "Sequence" },
                unique: true);
        }
    }
}
