-- A published product version is frozen: loans made under it must keep the terms they were made with.
-- Editing one is refused here even if application code forgot to check (the service answers
-- PRODUCT_VERSION_PUBLISHED first; this is the guard behind it).
CREATE OR REPLACE FUNCTION product_versions_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND (NEW.terms IS DISTINCT FROM OLD.terms OR NEW.status <> 'published' OR NEW.version <> OLD.version) THEN
    RAISE EXCEPTION 'published product version % of % is frozen', OLD.version, OLD.product_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER product_versions_frozen BEFORE UPDATE ON product_versions FOR EACH ROW EXECUTE FUNCTION product_versions_frozen();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION product_versions_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' THEN
    RAISE EXCEPTION 'published product version % of % cannot be deleted', OLD.version, OLD.product_id USING ERRCODE = 'P0001';
  END IF;
  RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER product_versions_no_delete BEFORE DELETE ON product_versions FOR EACH ROW EXECUTE FUNCTION product_versions_no_delete();
