CREATE TABLE "review_signoff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"statement" text NOT NULL,
	"item_count" integer NOT NULL,
	"items_digest" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "review_item_campaign_grant_uq";--> statement-breakpoint
ALTER TABLE "account" ADD COLUMN "owner_email" text;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "second_level" text;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "attestation" text;--> statement-breakpoint
ALTER TABLE "review_item" ADD COLUMN "level" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "review_item" ADD COLUMN "hints" jsonb;--> statement-breakpoint
ALTER TABLE "review_item" ADD COLUMN "exception_control" text;--> statement-breakpoint
ALTER TABLE "review_item" ADD COLUMN "exception_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_signoff" ADD CONSTRAINT "review_signoff_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_signoff" ADD CONSTRAINT "review_signoff_reviewer_id_person_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "review_signoff_campaign_reviewer_uq" ON "review_signoff" USING btree ("campaign_id","reviewer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_item_campaign_grant_uq" ON "review_item" USING btree ("campaign_id","grant_id","level");--> statement-breakpoint
-- A sign-off is an attestation: like the evidence log, it is never changed or removed.
CREATE TRIGGER review_signoff_no_update_delete
  BEFORE UPDATE OR DELETE ON review_signoff
  FOR EACH ROW EXECUTE FUNCTION attest_evidence_immutable();
--> statement-breakpoint
CREATE TRIGGER review_signoff_no_truncate
  BEFORE TRUNCATE ON review_signoff
  FOR EACH STATEMENT EXECUTE FUNCTION attest_evidence_immutable();
