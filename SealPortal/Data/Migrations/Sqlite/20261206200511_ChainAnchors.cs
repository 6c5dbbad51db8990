using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChainAnchors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChainAnchors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Chain = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    HeadHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
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

            // Anchors are evidence like the chains they anchor: append-only.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Sqlite, "ChainAnchors");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Sqlite, "ChainAnchors");
            migrationBuilder.DropTable(
                name: "ChainAnchors");
        }
    }
}
