using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SealPortal.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SealRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CertificateIssuer",
                table: "Seals",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateKeyAlgorithm",
                table: "Seals",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CertificateNotAfter",
                table: "Seals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CertificateNotBefore",
                table: "Seals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificatePasswordProtected",
                table: "Seals",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "CertificatePfxProtected",
                table: "Seals",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateSerial",
                table: "Seals",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateSubject",
                table: "Seals",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CertificateThumbprint",
                table: "Seals",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "ImagePng",
                table: "Seals",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageSha256",
                table: "Seals",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OrganizationName",
                table: "Seals",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SealHistory",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SealId = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Change = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FromStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    ToStatus = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Detail = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealHistory", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SealHistory_Seals_SealId",
                        column: x => x.SealId,
                        principalTable: "Seals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SealHistory_SealId_Id",
                table: "SealHistory",
                columns: new[] { "SealId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SealHistory");

            migrationBuilder.DropColumn(
                name: "CertificateIssuer",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateKeyAlgorithm",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateNotAfter",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateNotBefore",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificatePasswordProtected",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificatePfxProtected",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateSerial",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateSubject",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "CertificateThumbprint",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "ImagePng",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "ImageSha256",
                table: "Seals");

            migrationBuilder.DropColumn(
                name: "OrganizationName",
                table: "Seals");
        }
    }
}
