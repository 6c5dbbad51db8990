using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PortalEvents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PortalEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SealRequestId = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    UserIds = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    Roles = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalEvents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortalEvents_CreatedAt",
                table: "PortalEvents",
                column: "CreatedAt");

            // Every instance LISTENs on portal_events: a statement trigger notifies inside the writing transaction,
            // so the notice goes out on commit and never for a rollback, whichever code wrote the rows.
            migrationBuilder.Sql("""
                CREATE FUNCTION portal_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('portal_events', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER portal_events_notify AFTER INSERT ON "PortalEvents"
                    FOR EACH STATEMENT EXECUTE FUNCTION portal_events_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS portal_events_notify ON \"PortalEvents\"; DROP FUNCTION IF EXISTS portal_events_notify();");
            migrationBuilder.DropTable(
                name: "PortalEvents");
        }
    }
}
