CREATE TABLE "sync_stage_person" (
	"stage_id" uuid NOT NULL,
	"email" text NOT NULL,
	"person_id" uuid,
	"created" boolean DEFAULT false NOT NULL,
	"name" text NOT NULL,
	"title" text,
	"department" text,
	"manager_email" text,
	"manager_ref" text,
	"manager_named" boolean DEFAULT false NOT NULL,
	"manager_id" uuid,
	CONSTRAINT "sync_stage_person_pk" PRIMARY KEY("stage_id","email")
);
--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "system" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "login" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "last_login_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "owner_email" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "attrs" jsonb;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "link_email" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "has_person" boolean;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "person_name" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "person_title" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "person_department" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "manager_email" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "manager_ref" text;--> statement-breakpoint
ALTER TABLE "sync_stage_account" ADD COLUMN "person_id" uuid;--> statement-breakpoint
ALTER TABLE "sync_stage_resource" ADD COLUMN "system" text;--> statement-breakpoint
ALTER TABLE "sync_stage_resource" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "sync_stage_resource" ADD COLUMN "name" text;--> statement-breakpoint
ALTER TABLE "sync_stage_resource" ADD COLUMN "owner_email" text;--> statement-breakpoint
ALTER TABLE "sync_stage_resource" ADD COLUMN "attrs" jsonb;--> statement-breakpoint
-- Hand-written (drizzle-kit does not model UNLOGGED): staging, like the tables of 0009, needs no WAL.
ALTER TABLE "sync_stage_person" SET UNLOGGED;
