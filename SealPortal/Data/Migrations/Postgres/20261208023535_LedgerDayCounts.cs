using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LedgerDayCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LedgerDayCounts",
                columns: table => new
                {
                    SealId = table.Column<int>(type: "integer", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LedgerDayCounts", x => new { x.SealId, x.Day });
                });

            // The database counts every entry inserted from now on, and the entries already there once, here.
            LedgerDayCountSql.Create(migrationBuilder, DatabaseProvider.Postgres);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            LedgerDayCountSql.Drop(migrationBuilder, DatabaseProvider.Postgres);
            migrationBuilder.DropTable(
                name: "LedgerDayCounts");
        }
    }
}
