CREATE TABLE "person" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"title" text,
	"department" text,
	"manager_id" uuid,
	"status" text DEFAULT 'active' NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"slack_user_id" text,
	"slack_tz" text,
	"source" text,
	"left_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_role" (
	"person_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "person_role_person_id_role_pk" PRIMARY KEY("person_id","role")
);
--> statement-breakpoint
CREATE TABLE "evidence_event" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" jsonb NOT NULL,
	"payload" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"totals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"triggered_by" text DEFAULT 'system' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "account" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text NOT NULL,
	"login" text NOT NULL,
	"email" text,
	"display_name" text,
	"status" text NOT NULL,
	"last_login_at" timestamp with time zone,
	"person_id" uuid,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "resource" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"system" text NOT NULL,
	"external_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"privileged" boolean DEFAULT false NOT NULL,
	"owner_email" text,
	"owner_id" uuid,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_grant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"account_id" uuid NOT NULL,
	"resource_id" uuid NOT NULL,
	"via" text DEFAULT 'direct' NOT NULL,
	"privileged" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "access_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"parent_id" uuid,
	"subject_person_id" uuid,
	"resource_id" uuid,
	"account_id" uuid,
	"grant_id" uuid,
	"requested_by" text NOT NULL,
	"approved_by" text,
	"carried_out_by" text,
	"reason" text,
	"origin" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"effective_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"approved_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"verified_by_sync_run_id" uuid
);
--> statement-breakpoint
CREATE TABLE "task" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"action" text NOT NULL,
	"description" text NOT NULL,
	"automated" boolean DEFAULT false NOT NULL,
	"owner_id" uuid,
	"owner_role" text,
	"status" text DEFAULT 'open' NOT NULL,
	"not_before" timestamp with time zone,
	"deadline" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"done_by" text,
	"done_at" timestamp with time zone,
	"note" text,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"channel" text,
	"dedupe_key" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"result" jsonb,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "job_slot" (
	"job" text NOT NULL,
	"slot" text NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "job_slot_job_slot_pk" PRIMARY KEY("job","slot")
);
--> statement-breakpoint
CREATE TABLE "webhook_delivery" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"request_id" uuid,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "webhook_delivery_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE TABLE "campaign" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'periodic' NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reviewer_rule" text DEFAULT 'manager' NOT NULL,
	"non_response" text DEFAULT 'flag' NOT NULL,
	"reminder_offsets_days" integer[] DEFAULT '{7,2,1}' NOT NULL,
	"owner_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"template_id" uuid,
	"period" text,
	"provenance" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"launched_at" timestamp with time zone,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"grant_id" uuid NOT NULL,
	"snapshot" jsonb NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"fallback_reason" text,
	"delegated_from_id" uuid,
	"delegation_reason" text,
	"decision" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"removal_timing" text,
	"request_id" uuid
);
--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_manager_id_person_id_fk" FOREIGN KEY ("manager_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_role" ADD CONSTRAINT "person_role_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "account" ADD CONSTRAINT "account_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resource" ADD CONSTRAINT "resource_owner_id_person_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_parent_id_access_request_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."access_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_subject_person_id_person_id_fk" FOREIGN KEY ("subject_person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_resource_id_resource_id_fk" FOREIGN KEY ("resource_id") REFERENCES "public"."resource"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_account_id_account_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_request" ADD CONSTRAINT "access_request_grant_id_access_grant_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."access_grant"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_request_id_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."access_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_owner_id_person_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_owner_id_person_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_item" ADD CONSTRAINT "review_item_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_item" ADD CONSTRAINT "review_item_reviewer_id_person_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "person_email_lower_uq" ON "person" USING btree (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "person_slack_user_uq" ON "person" USING btree ("slack_user_id");--> statement-breakpoint
CREATE INDEX "person_manager_idx" ON "person" USING btree ("manager_id");--> statement-breakpoint
CREATE INDEX "evidence_event_at_idx" ON "evidence_event" USING btree ("at");--> statement-breakpoint
CREATE INDEX "evidence_event_action_idx" ON "evidence_event" USING btree ("action");--> statement-breakpoint
CREATE INDEX "sync_run_source_idx" ON "sync_run" USING btree ("source","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "account_source_external_uq" ON "account" USING btree ("source","external_id");--> statement-breakpoint
CREATE INDEX "account_person_idx" ON "account" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resource_source_external_uq" ON "resource" USING btree ("source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "access_grant_uq" ON "access_grant" USING btree ("account_id","resource_id","via");--> statement-breakpoint
CREATE INDEX "access_grant_resource_idx" ON "access_grant" USING btree ("resource_id");--> statement-breakpoint
CREATE INDEX "access_grant_source_idx" ON "access_grant" USING btree ("source");--> statement-breakpoint
CREATE INDEX "access_request_grant_idx" ON "access_request" USING btree ("grant_id");--> statement-breakpoint
CREATE INDEX "access_request_subject_idx" ON "access_request" USING btree ("subject_person_id");--> statement-breakpoint
CREATE INDEX "access_request_parent_idx" ON "access_request" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "access_request_status_idx" ON "access_request" USING btree ("status");--> statement-breakpoint
CREATE INDEX "task_request_idx" ON "task" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "task_owner_idx" ON "task" USING btree ("owner_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_uq" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "review_item_campaign_grant_uq" ON "review_item" USING btree ("campaign_id","grant_id");--> statement-breakpoint
CREATE INDEX "review_item_reviewer_idx" ON "review_item" USING btree ("campaign_id","reviewer_id","decision");