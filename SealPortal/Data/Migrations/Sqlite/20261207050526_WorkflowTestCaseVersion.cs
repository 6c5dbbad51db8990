using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SealPortal.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkflowTestCaseVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "Version",
                table: "WorkflowTestCases",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQL, not DropColumn: EF rebuilds a SQLite table from the previous migration's model, and that model
            // (ApprovalDecisions, made beside the flow-test tables on another branch) does not have this table.
            migrationBuilder.Sql("ALTER TABLE \"WorkflowTestCases\" DROP COLUMN \"Version\";");
        }
    }
}
