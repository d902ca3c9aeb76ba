ALTER TABLE "task" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "recipient_person_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_recipient_person_id_person_id_fk" FOREIGN KEY ("recipient_person_id") REFERENCES "public"."person"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_undeliverable_idx" ON "outbox" USING btree ("recipient_person_id","created_at") WHERE status = 'undeliverable';--> statement-breakpoint
-- Review DMs queued before the outbox knew its recipient were left with no channel and then
-- marked sent as skipped: give them their reviewer and let them wait for a Slack user instead.
-- (Text comparison: a malformed payload id matches nobody rather than failing the migration.)
UPDATE "outbox" o
SET "recipient_person_id" = p."id", "status" = 'undeliverable', "last_error" = p."email" || ' has no Slack user',
    "locked_until" = NULL, "sent_at" = NULL, "result" = NULL
FROM "person" p
WHERE o."channel" IS NULL AND o."kind" IN ('review.request', 'review.reminder')
  AND p."id"::text = o."payload"->>'reviewerId'
  AND (o."status" = 'pending' OR (o."status" = 'sent' AND o."result"->>'skipped' = 'no channel to send to'));
