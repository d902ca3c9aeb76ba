CREATE TABLE "access_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"department" text,
	"title" text,
	"resource_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "access_template_name_uq" ON "access_template" USING btree (lower("name"));