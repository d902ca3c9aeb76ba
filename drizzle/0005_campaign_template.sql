CREATE TABLE "campaign_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"cron" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reviewer_rule" text DEFAULT 'manager' NOT NULL,
	"non_response" text DEFAULT 'flag' NOT NULL,
	"duration_days" integer DEFAULT 14 NOT NULL,
	"owner_id" uuid NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_template" ADD CONSTRAINT "campaign_template_owner_id_person_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_template_name_uq" ON "campaign_template" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_template_period_uq" ON "campaign" USING btree ("template_id","period");