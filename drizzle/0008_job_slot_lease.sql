ALTER TABLE "job_slot" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
-- Slots claimed before leases existed: one left unfinished is already past its lease.
UPDATE "job_slot" SET "lease_until" = "claimed_at" WHERE "lease_until" IS NULL;
