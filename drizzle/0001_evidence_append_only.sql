-- The evidence log is append-only: the database itself refuses to change or remove a row.
CREATE OR REPLACE FUNCTION attest_evidence_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence_event is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evidence_event_no_update_delete
  BEFORE UPDATE OR DELETE ON evidence_event
  FOR EACH ROW EXECUTE FUNCTION attest_evidence_immutable();
--> statement-breakpoint
CREATE TRIGGER evidence_event_no_truncate
  BEFORE TRUNCATE ON evidence_event
  FOR EACH STATEMENT EXECUTE FUNCTION attest_evidence_immutable();
