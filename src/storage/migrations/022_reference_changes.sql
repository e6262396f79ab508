-- Reference data (partners, credentials, stores, products, what each partner sells, webhook endpoints)
-- is held in memory by every API process (issue #13; src/storage/reference-cache.ts). A change to it,
-- by any statement of any process, notifies the processes listening when its transaction commits, so
-- each empties what it holds. The payload is the schema, for processes of other installations sharing the database.
CREATE FUNCTION notify_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('protego_reference', TG_TABLE_SCHEMA);
  RETURN NULL;
END;
$$;

CREATE TRIGGER partners_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partners
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER credentials_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON credentials
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER stores_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stores
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER partner_products_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_products
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
CREATE TRIGGER webhook_endpoints_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON webhook_endpoints
  FOR EACH STATEMENT EXECUTE FUNCTION notify_reference_change();
