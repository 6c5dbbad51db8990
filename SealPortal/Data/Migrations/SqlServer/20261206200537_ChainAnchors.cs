using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.SqlServer
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Chain = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    HeadHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
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

            // Anchors are evidence like the chains they anchor: append-only.
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.SqlServer, "ChainAnchors");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.SqlServer, "ChainAnchors");
            migrationBuilder.DropTable(
                name: "ChainAnchors");
        }
    }
}
