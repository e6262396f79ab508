-- Product changes (issue #16): every change to the catalog, with who made it (a console user, or the
-- admin API) and the whole product before and after, so an operator can tell what moved a price. The
-- catalog is the insurer's, shared by every partner, so this table is not a tenant's (no partner_id).
CREATE TABLE product_changes (
  id           text PRIMARY KEY,
  product_code text NOT NULL REFERENCES products (code),
  changed_at   timestamptz NOT NULL,
  -- The console user's id (no foreign key: the record outlives the user); null for the admin API.
  actor_id     text,
  actor        text NOT NULL,
  before       jsonb,
  after        jsonb NOT NULL
);
CREATE INDEX product_changes_by_product ON product_changes (product_code, changed_at DESC, id DESC);

-- A record of who changed what is only worth keeping if it is never rewritten.
CREATE TRIGGER product_changes_immutable BEFORE UPDATE OR DELETE ON product_changes
  FOR EACH ROW EXECUTE FUNCTION reject_change();
