using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SealRequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    UserIds = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Chain = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    TimestampedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Token = table.Column<byte[]>(type: "BLOB", nullable: false),
                    TriggeredBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
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
