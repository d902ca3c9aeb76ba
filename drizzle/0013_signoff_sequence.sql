DROP INDEX "review_signoff_campaign_reviewer_uq";--> statement-breakpoint
ALTER TABLE "review_signoff" ADD COLUMN "seq" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "review_signoff_campaign_reviewer_seq_uq" ON "review_signoff" USING btree ("campaign_id","reviewer_id","seq");