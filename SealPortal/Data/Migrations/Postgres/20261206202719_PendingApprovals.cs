using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PendingApprovals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PendingApprovals",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SealRequestId = table.Column<int>(type: "integer", nullable: false),
                    NodeId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NodeName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    NodeKey = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Slot = table.Column<int>(type: "integer", nullable: false),
                    ApproverUserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    WorkflowVersion = table.Column<long>(type: "bigint", nullable: false),
                    Since = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingApprovals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PendingApprovals_SealRequests_SealRequestId",
                        column: x => x.SealRequestId,
                        principalTable: "SealRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_ApproverUserId",
                table: "PendingApprovals",
                column: "ApproverUserId");

            migrationBuilder.CreateIndex(
                name: "IX_PendingApprovals_SealRequestId",
                table: "PendingApprovals",
                column: "SealRequestId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingApprovals");
        }
    }
}
