import type { ColumnType, Generated } from 'kysely';

/** Row shapes of the tables in migrations/, as Kysely sees them. */
type Json<T> = ColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date, Date>;

interface PartnersTable {
  partner_id: string;
  code: string;
  name: string;
  markets: Json<{ country: string; currency: string; language: string }[]>;
  counterpart_handle: string;
  created_at: Timestamp;
}

interface CredentialsTable {
  partner_id: string;
  id: string;
  mode: 'test' | 'live';
  kind: 'api_key' | 'oauth_client' | 'hmac_key' | 'publishable_key';
  lookup: string;
  secret_hash: string | null;
  secret_enc: string | null;
  set_id: string;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  origins: Json<string[]> | null;
}

interface FailedAttemptsTable {
  source: string;
  window_start: Timestamp;
  count: number;
}

interface RequestRatesTable {
  partner_id: string;
  key: string;
  window_start: Timestamp;
  count: number;
}

interface ProductsTable {
  code: string;
  definition: Json<unknown>;
  updated_at: Timestamp;
}

interface ProductChangesTable {
  id: string;
  product_code: string;
  changed_at: Timestamp;
  actor_id: string | null;
  actor: string;
  before: Json<unknown> | null;
  after: Json<unknown>;
}

interface PartnerProductsTable {
  partner_id: string;
  product_code: string;
  commission_bp: number;
  enabled_at: Timestamp;
}

export interface OffersTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  country: string;
  currency: string;
  language: string;
  items: Json<unknown>;
  refs: Json<Record<string, string>>;
  created_at: Timestamp;
  expires_at: Timestamp;
  declined_at: Timestamp | null;
}

export interface PoliciesTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  product_code: string;
  term_months: number;
  country: string;
  language: string;
  status: string;
  policyholder: Json<unknown>;
  personal_id_enc: string | null;
  item: Json<unknown>;
  currency: string;
  premium_total: number;
  premium: Json<unknown>;
  cover_start: string;
  coverage_start: Timestamp | null;
  coverage_end: Timestamp | null;
  bound_at: Timestamp | null;
  offer_id: string | null;
  offer_option_id: string | null;
  order_id: string | null;
  refs: Json<Record<string, string>>;
  refund: Json<unknown> | null;
  claim_paid: Generated<boolean>;
  renewal_notified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  renewal_of: ColumnType<string | null, string | null | undefined, string | null>;
  renewed_by: ColumnType<string | null, string | null | undefined, string | null>;
  renewal_opt_out: ColumnType<boolean, boolean | undefined, boolean>;
  commission_bp: ColumnType<number, number | undefined, number>;
  /** Set once at binding (migration 013): the order line's unit a placed order's plan protects. */
  order_unit: ColumnType<number | null, number | null | undefined, never>;
  /** Set once at binding (migration 013): the offer item's unit an option binds. */
  option_unit: ColumnType<number | null, number | null | undefined, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface PolicyEventsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  policy_id: string;
  type: string;
  from_status: string | null;
  to_status: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

interface OrderEventsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  order_id: string;
  type: string;
  occurred_at: Timestamp;
  payload: Json<unknown>;
  policy_ids: Json<string[]>;
  created_at: Timestamp;
}

interface IdempotencyKeysTable {
  partner_id: string;
  mode: string;
  key: string;
  request_hash: string;
  locked_until: Timestamp | null;
  response_status: number | null;
  response_body: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

interface EventsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  type: string;
  subject_id: string;
  data: Json<Record<string, unknown>>;
  occurred_at: Timestamp;
}

export interface WebhookEndpointsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  url: string;
  event_types: Json<string[]>;
  format: string;
  description: string | null;
  enabled: boolean;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_expires_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface JobsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  status: 'pending' | 'done' | 'dead';
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: number;
  locked_until: Timestamp | null;
  last_error: string | null;
  endpoint_id: string | null;
  event_id: string | null;
  subject_id: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

interface JobAttemptsTable {
  partner_id: string;
  job_id: string;
  attempt: number;
  started_at: Timestamp;
  duration_ms: number;
  outcome: 'succeeded' | 'retrying' | 'dead';
  response_status: number | null;
  error: string | null;
}

export interface ClaimsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  policy_id: string;
  status: string;
  type: string;
  /** A `date` column: read it as text (`to_char(incident_date, 'YYYY-MM-DD')`), drivers would make a local-midnight Date of it. */
  incident_date: string;
  description: string;
  currency: string;
  claimed_amount: number;
  approved_amount: number | null;
  paid_amount: number | null;
  denial_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface ClaimEventsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  claim_id: string;
  type: string;
  from_status: string | null;
  to_status: string;
  occurred_at: Timestamp;
  data: Json<Record<string, unknown>>;
}

export interface ClaimAttachmentsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  claim_id: string;
  filename: string;
  content_type: string;
  size: number;
  content: Uint8Array;
  created_at: Timestamp;
}

export interface ConsoleUsersTable {
  partner_id: string | null;
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: Timestamp;
}

interface ConsoleSessionsTable {
  partner_id: string | null;
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Timestamp;
}

export interface Tables {
  partners: PartnersTable;
  credentials: CredentialsTable;
  failed_attempts: FailedAttemptsTable;
  request_rates: RequestRatesTable;
  products: ProductsTable;
  product_changes: ProductChangesTable;
  partner_products: PartnerProductsTable;
  offers: OffersTable;
  policies: PoliciesTable;
  policy_events: PolicyEventsTable;
  order_events: OrderEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  jobs: JobsTable;
  job_attempts: JobAttemptsTable;
  claims: ClaimsTable;
  claim_events: ClaimEventsTable;
  claim_attachments: ClaimAttachmentsTable;
  schema_migrations: SchemaMigrationsTable;
  stores: StoresTable;
  solutions: SolutionsTable;
  aliases: AliasesTable;
  dialect_records: DialectRecordsTable;
  policy_changes: PolicyChangesTable;
  instalments: InstalmentsTable;
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  merchant_plans: MerchantPlansTable;
  currency_markets: CurrencyMarketsTable;
  product_facts: ProductFactsTable;
  carts: CartsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
}

interface MerchantPlansTable {
  partner_id: string;
  merchant_product_id: string;
  product_code: string;
  term_months: number;
  created_at: Timestamp;
}

interface CurrencyMarketsTable {
  partner_id: string;
  currency: string;
  country: string;
  updated_at: Timestamp;
}

interface ProductFactsTable {
  partner_id: string;
  mode: 'test' | 'live';
  product_id: string;
  category: string;
  title: string | null;
  brand: string | null;
  price_amount: ColumnType<number, number, number> | null;
  price_currency: string | null;
  updated_at: Timestamp;
}

export interface CartsTable {
  partner_id: string;
  mode: 'test' | 'live';
  cart_id: string;
  session_id: string;
  currency: string;
  lines: Json<unknown>;
  connections: Json<unknown>;
  order_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

interface OrdersTable {
  partner_id: string;
  mode: 'test' | 'live';
  order_id: string;
  placed_at: Timestamp;
  created_at: Timestamp;
}

interface OrderLinesTable {
  partner_id: string;
  mode: 'test' | 'live';
  order_id: string;
  line_id: string;
  position: number;
  quantity: number;
  protects_line_id: string | null;
}

interface AliasesTable {
  partner_id: string;
  mode: 'test' | 'live';
  kind: string;
  alias: string;
  target_id: string;
  created_at: Timestamp;
}

export interface DialectRecordsTable {
  partner_id: string;
  mode: 'test' | 'live';
  kind: string;
  handle: string;
  key: string | null;
  ref: string | null;
  email: string | null;
  data: Json<Record<string, unknown>>;
  personal_id_enc: string | null;
  created_at: Timestamp;
}

export interface SolutionsTable {
  partner_id: string;
  code: string;
  product_code: string;
  country: string;
  created_at: Timestamp;
}

export interface StoresTable {
  partner_id: string;
  external_id: string;
  country: string;
  currency: string;
  created_at: Timestamp;
}

export interface InstalmentsTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  policy_id: string;
  number: number;
  period_start: Timestamp;
  period_end: Timestamp;
  amount: number;
  net: number;
  tax: number;
  currency: string;
  status: 'unpaid' | 'paid' | 'failed';
  paid_at: Timestamp | null;
  payment_attempted_at: Timestamp | null;
  lapse_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PolicyChangesTable {
  partner_id: string;
  mode: 'test' | 'live';
  id: string;
  group_id: string;
  policy_id: string;
  kind: 'update' | 'renewal' | 'cancellation';
  status: 'pending' | 'confirmed';
  item: Json<unknown>;
  premium: Json<unknown>;
  previous_premium: Json<unknown>;
  price_diff: number;
  term_months: number;
  coverage_start: Timestamp | null;
  coverage_end: Timestamp | null;
  expires_at: Timestamp;
  created_at: Timestamp;
  confirmed_at: Timestamp | null;
  result_policy_id: string | null;
  cancellation: Json<unknown> | null;
}
