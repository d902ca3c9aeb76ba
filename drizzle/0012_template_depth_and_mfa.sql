ALTER TABLE "account" ADD COLUMN "mfa_enrolled" boolean;--> statement-breakpoint
ALTER TABLE "account" ADD COLUMN "mfa_enforced" boolean;--> statement-breakpoint
ALTER TABLE "account" ADD COLUMN "mfa_checked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_template" ADD COLUMN "second_level" text;--> statement-breakpoint
ALTER TABLE "campaign_template" ADD COLUMN "attestation" text;--> statement-breakpoint
CREATE INDEX "person_department_idx" ON "person" USING btree ("department");