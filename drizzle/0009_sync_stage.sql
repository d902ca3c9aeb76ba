-- Staging for sync runs: UNLOGGED (no WAL; emptied by a crash, which is harmless: the run that
-- wrote the rows died with them). drizzle-kit does not model UNLOGGED; it was added by hand.
CREATE UNLOGGED TABLE "sync_stage" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "sync_stage_account" (
	"stage_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	CONSTRAINT "sync_stage_account_pk" PRIMARY KEY("stage_id","external_id")
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "sync_stage_grant" (
	"stage_id" uuid NOT NULL,
	"account_external_id" text NOT NULL,
	"resource_external_id" text NOT NULL,
	"via" text NOT NULL,
	"privileged" boolean NOT NULL,
	CONSTRAINT "sync_stage_grant_pk" PRIMARY KEY("stage_id","account_external_id","resource_external_id","via")
);
--> statement-breakpoint
CREATE UNLOGGED TABLE "sync_stage_resource" (
	"stage_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"privileged" boolean NOT NULL,
	"members_read" boolean NOT NULL,
	CONSTRAINT "sync_stage_resource_pk" PRIMARY KEY("stage_id","external_id")
);
--> statement-breakpoint
CREATE INDEX "sync_stage_source_idx" ON "sync_stage" USING btree ("source","started_at");