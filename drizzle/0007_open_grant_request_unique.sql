-- Before this index, two quick submissions could open the same grant request twice. Keep the
-- oldest open one and cancel the later copies (saying why), so the index can be built.
UPDATE "access_request" AS dup
SET "status" = 'cancelled',
    "details" = dup."details" || '{"cancelledBy": "migration 0007: a duplicate of an earlier open request"}'::jsonb
WHERE dup."kind" = 'grant' AND dup."parent_id" IS NULL
  AND dup."status" IN ('pending_approval', 'approved', 'in_progress')
  AND EXISTS (
    SELECT 1 FROM "access_request" AS first
    WHERE first."kind" = 'grant' AND first."parent_id" IS NULL
      AND first."status" IN ('pending_approval', 'approved', 'in_progress')
      AND first."subject_person_id" = dup."subject_person_id" AND first."resource_id" = dup."resource_id"
      AND (first."created_at", first."id") < (dup."created_at", dup."id")
  );
--> statement-breakpoint
CREATE UNIQUE INDEX "access_request_open_grant_uq" ON "access_request" USING btree ("subject_person_id","resource_id") WHERE kind = 'grant' and parent_id is null and status in ('pending_approval', 'approved', 'in_progress');
