using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Chain = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    HeadHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TimestampedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Token = table.Column<byte[]>(type: "bytea", nullable: false),
                    TriggeredBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
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
            AppendOnlyTables.Protect(migrationBuilder, DatabaseProvider.Postgres, "ChainAnchors");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, DatabaseProvider.Postgres, "ChainAnchors");
            migrationBuilder.DropTable(
                name: "ChainAnchors");
        }
    }
}
