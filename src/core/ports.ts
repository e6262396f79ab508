import type { Cart } from './carts/cart.js';
import type { MerchantPlan } from './catalog/merchant-plan.js';
import type { Product } from './catalog/product.js';
import type { ProductChange } from './catalog/product-change.js';
import type { ProductFacts } from './catalog/product-fact.js';
import type { Claim, ClaimAttachment, ClaimHistoryEntry, ClaimStatus } from './claims/claim.js';
import type { Clock } from './clock.js';
import type { ConsoleSession, ConsoleUser } from './console/user.js';
import type { IdempotencyRecord, IdempotencyScope, StoredResponse } from './idempotency.js';
import type { IdGenerator } from './ids.js';
import type { Instalment } from './instalments/instalment.js';
import type { OutboundEvent } from './notifications/event.js';
import type { Job, JobAttempt, NewJob } from './notifications/job.js';
import type { Offer } from './offers/offer.js';
import type { Order } from './orders/order.js';
import type { OrderEvent } from './orders/order-event.js';
import type { CurrencyMarket } from './partners/currency-market.js';
import type { CredentialKind, Mode, Partner, ProductEnablement, Tenant } from './partners/partner.js';
import type { Policy, PolicyHistoryEntry, PolicyHistoryType, PolicyStatus } from './policies/policy.js';
import type { PolicyChange } from './policies/policy-change.js';
import type { Solution } from './solutions/solution.js';
import type { StatementEvent } from './statements/statement-event.js';
import type { PartnerStore } from './stores/store.js';
import type { WebhookEndpoint } from './webhooks/endpoint.js';

/**
 * The storage the core needs, as interfaces. src/storage implements them once in SQL; every method
 * that touches tenant data takes the Tenant and filters on it.
 */
export interface PartnerRepository {
  create(partner: Partner): Promise<void>;
  getById(id: string): Promise<Partner | undefined>;
  getByCode(code: string): Promise<Partner | undefined>;
  list(): Promise<Partner[]>;
  enableProduct(partnerId: string, enablement: ProductEnablement): Promise<void>;
  disableProduct(partnerId: string, productCode: string): Promise<boolean>;
  enabledProducts(partnerId: string): Promise<ProductEnablement[]>;
}

export interface StoredCredential {
  id: string;
  partnerId: string;
  mode: Mode;
  kind: CredentialKind;
  /** The public half used to find the credential: a hash of an API key, an OAuth client id, an HMAC key id. */
  lookup: string;
  /** A one-way hash of the secret (API keys, OAuth secrets). */
  secretHash: string | null;
  /** The secret itself, for HMAC keys that must be verified; the store encrypts it at rest. */
  secret: string | null;
  /** The set it was issued in (an API key, an OAuth client and an HMAC key, made together): revoked together. */
  setId: string;
  createdAt: Date;
  /** When an operator revoked its set: from then on it authenticates nothing. */
  revokedAt: Date | null;
  /** The origins a publishable key may be used from (none for the other kinds). */
  origins?: string[] | null;
}

/**
 * Secret material: made at random and hashed one way. Implemented outside the core (node:crypto), so
 * the core decides what a credential is without depending on how randomness and hashing are done.
 */
export interface Secrets {
  /** Random, URL-safe text from `bytes` random bytes. */
  randomToken(bytes: number): string;
  /** The one-way hash a secret is stored and looked up by. */
  hash(secret: string): string;
}

/** Refused credentials per client address and window (see core/access/failed-attempts.ts). */
export interface FailedAttemptRepository {
  /** Counts one more in the window and returns the window's count; forgets the address's past windows. */
  add(source: string, windowStart: Date): Promise<number>;
}

/** Requests counted per client key and window, shared by every process (see core/access/request-rate.ts). */
export interface RequestRateRepository {
  /**
   * Counts one more request of `key` and returns the count of its current window: `windowStart`, or a
   * later window another process (a clock a little ahead) has already opened, which this one joins.
   */
  add(partnerId: string, key: string, windowStart: Date): Promise<{ count: number; windowStart: Date }>;
}

export interface CredentialRepository {
  add(credential: StoredCredential): Promise<void>;
  find(kind: CredentialKind, lookup: string): Promise<StoredCredential | undefined>;
  list(partnerId: string): Promise<StoredCredential[]>;
  /** Marks every credential of the partner's set revoked at `at`, unless it already is. */
  revokeSet(partnerId: string, setId: string, at: Date): Promise<void>;
}

/** The insurer's catalog: shared by every partner, like a Citus reference table. */
export interface ProductRepository {
  put(product: Product, at: Date): Promise<void>;
  /** `forUpdate` reads past any cache and locks the product until the transaction ends. */
  get(code: string, opts?: { forUpdate?: boolean }): Promise<Product | undefined>;
  list(): Promise<Product[]>;
  /** The products a partner sells, with its commission on each: one query, for the hot pricing paths. */
  listEnabled(partnerId: string): Promise<{ product: Product; commissionBp: number }[]>;
}

/** Every change to the catalog, never rewritten: who changed which product, and what it was before and after. */
export interface ProductChangeRepository {
  add(change: ProductChange): Promise<void>;
  /** A product's changes, newest first. */
  list(productCode: string, limit: number): Promise<ProductChange[]>;
}

export interface OfferRepository {
  insert(offer: Offer): Promise<void>;
  /** `forUpdate` locks the offer until the transaction ends: binds of its options wait for each other. */
  get(tenant: Tenant, id: string, opts?: { forUpdate?: boolean }): Promise<Offer | undefined>;
  markDeclined(tenant: Tenant, id: string, at: Date): Promise<void>;
}

interface PolicyFilter {
  orderId?: string;
  /** The policyholder's e-mail address, in any case. */
  holderEmail?: string;
  status?: PolicyStatus;
  createdFrom?: Date;
  createdTo?: Date;
  /** Policies whose id sorts before this one (ids are time-sortable, newest first). */
  before?: string;
  limit: number;
}

/** What a policy search matches: every criterion given. */
export interface PolicySearchFilter {
  /** Only policies a dialect shows under its own ids of this kind (an alias and its record). */
  aliasKind: string;
  /** `refs.basketId` */
  basketId?: string;
  /** `refs.orderId` */
  orderId?: string;
  productCode?: string;
  country?: string;
}

/** A policy found by a search: with its alias of the kind searched, and the data of the record kept under it. */
export interface FoundPolicy {
  policy: Policy;
  alias: string;
  data: Record<string, unknown> | null;
}

export interface PolicyLookup {
  partnerId?: string;
  id?: string;
  orderId?: string;
  email?: string;
  status?: PolicyStatus;
  limit: number;
}

export interface PolicyRepository {
  insert(policy: Policy, event: PolicyHistoryEntry): Promise<void>;
  /** Writes the policy's new state and the event that explains it, in the caller's transaction. */
  update(policy: Policy, event: PolicyHistoryEntry): Promise<void>;
  /** Reads a policy and locks it until the transaction ends. */
  get(tenant: Tenant, id: string, opts?: { forUpdate?: boolean }): Promise<Policy | undefined>;
  /** The policies of these ids that exist, in one read (a page's, not one read per row). */
  getMany(tenant: Tenant, ids: readonly string[]): Promise<Policy[]>;
  list(tenant: Tenant, filter: PolicyFilter): Promise<Policy[]>;
  byOrder(tenant: Tenant, orderId: string, opts?: { forUpdate?: boolean }): Promise<Policy[]>;
  /** One page of a search, newest first, and how many match in all: one query for a page that has rows. */
  search(
    tenant: Tenant,
    filter: PolicySearchFilter,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; found: FoundPolicy[] }>;
  /** The units of an offer option its policies hold (`optionUnit`); a voided policy holds none. */
  optionUnits(tenant: Tenant, offerOptionId: string): Promise<number[]>;
  /** Policies due for a scheduled change at `now`, across tenants: the scheduler's work list. */
  due(
    kind: DueKind,
    now: Date,
    limit: number,
    noticeDays?: number,
  ): Promise<{ tenant: Tenant; id: string }[]>;
  history(tenant: Tenant, policyId: string): Promise<PolicyHistoryEntry[]>;
  /** The tenant a policy belongs to, found by id alone: the console starts from an id. */
  locate(id: string): Promise<Tenant | undefined>;
  /**
   * Policies matching every given criterion (holder e-mail case-insensitively), across the modes of one
   * partner, or across partners when none is named (operators), newest first.
   */
  lookup(filter: PolicyLookup): Promise<Policy[]>;
  /**
   * Events of these types that happened in [from, to), with their policy's commission rate and premium
   * as it stood at the event (a later `modified` event's `previousPremium`, else the policy's premium),
   * handed to `each` in batches of at most `batch`, in no particular order, so a book of any size is
   * read in bounded memory. `each` is synchronous: the read holds its database session (on PGlite, the
   * database) until the last batch, so nothing may query in between.
   */
  eventsInPeriod(
    tenant: Tenant,
    period: { from: Date; to: Date; types: readonly PolicyHistoryType[]; batch?: number },
    each: (batch: StatementEvent[]) => void,
  ): Promise<void>;
}

export interface OrderEventRepository {
  insert(event: OrderEvent): Promise<void>;
  list(tenant: Tenant, orderId: string): Promise<OrderEvent[]>;
}

/** Placed orders and their lines. */
export interface OrderRepository {
  insert(order: Order): Promise<void>;
  get(tenant: Tenant, orderId: string): Promise<Order | undefined>;
}

/** Shops' carts as last posted. */
export interface CartRepository {
  /** Writes the cart, replacing the state it had. */
  put(cart: Cart): Promise<void>;
  get(tenant: Tenant, cartId: string, opts?: { forUpdate?: boolean }): Promise<Cart | undefined>;
  /** The cart checked out as this order. */
  byOrder(tenant: Tenant, orderId: string): Promise<Cart | undefined>;
}

/** A partner's ids for the plans its shop sells (one per product and term). */
export interface MerchantPlanRepository {
  /** Writes the id of the plan's product and term, replacing the one it had. */
  put(partnerId: string, plan: MerchantPlan): Promise<void>;
  list(partnerId: string): Promise<MerchantPlan[]>;
  /** Returns whether there was such a plan id. */
  remove(partnerId: string, merchantProductId: string): Promise<boolean>;
}

/** The market a partner answers each currency from, where it chose one. */
export interface CurrencyMarketRepository {
  set(partnerId: string, chosen: CurrencyMarket): Promise<void>;
  list(partnerId: string): Promise<CurrencyMarket[]>;
}

/** What shops said of their products on product pages. */
export interface ProductFactsRepository {
  put(tenant: Tenant, facts: ProductFacts): Promise<void>;
  get(tenant: Tenant, productIds: string[]): Promise<ProductFacts[]>;
}

export interface NotificationRepository {
  insert(event: OutboundEvent): Promise<void>;
  get(tenant: Tenant, id: string): Promise<OutboundEvent | undefined>;
}

export interface WebhookRepository {
  insert(endpoint: WebhookEndpoint): Promise<void>;
  update(endpoint: WebhookEndpoint): Promise<void>;
  get(tenant: Tenant, id: string): Promise<WebhookEndpoint | undefined>;
  list(tenant: Tenant): Promise<WebhookEndpoint[]>;
}

/** A job that ran: its attempt, and where it goes next. */
export interface FinishedJob {
  job: Job;
  attempt: JobAttempt;
  next: { status: 'done' | 'dead' } | { status: 'pending'; runAt: Date };
}

/** The outbox. Claiming spans every tenant: the worker serves them all. */
export interface JobRepository {
  enqueue(job: NewJob): Promise<void>;
  /**
   * Takes up to `limit` ready jobs (FOR UPDATE SKIP LOCKED) and leases them until `now + leaseMs`; of one
   * policy's jobs for one endpoint, only the oldest unfinished one is ever ready (events stay in order),
   * and no endpoint gets more than `perEndpoint` leased at once (by all workers together).
   */
  claim(now: Date, limit: number, leaseMs: number, perEndpoint?: number): Promise<Job[]>;
  /**
   * Records attempts and where each job goes next: done, dead, or pending again at `runAt`. A worker's
   * whole round in two statements: on PGlite each statement costs more than the rows it writes.
   */
  finish(finished: FinishedJob[]): Promise<void>;
  get(tenant: Tenant, id: string): Promise<Job | undefined>;
  list(
    tenant: Tenant,
    filter: { endpointId?: string; kind?: string; subjectId?: string; limit: number },
  ): Promise<Job[]>;
  attempts(tenant: Tenant, jobId: string): Promise<JobAttempt[]>;
  /** Puts a job back in the queue now, with one more attempt allowed (manual redelivery). */
  requeue(tenant: Tenant, id: string, now: Date): Promise<void>;
}

export interface ClaimFilter {
  policyId?: string;
  status?: ClaimStatus;
  /** Claims whose id sorts before this one (ids are time-sortable, newest first). */
  before?: string;
  limit: number;
}

export interface ClaimRepository {
  /** Writes a new claim and the event that filed it. */
  insert(claim: Claim, event: ClaimHistoryEntry): Promise<void>;
  /** Writes the claim's new state and the event that explains it (attachments are added apart). */
  update(claim: Claim, event: ClaimHistoryEntry): Promise<void>;
  /** A claim with its attachments' descriptions; `forUpdate` locks it until the transaction ends. */
  get(tenant: Tenant, id: string, opts?: { forUpdate?: boolean }): Promise<Claim | undefined>;
  list(tenant: Tenant, filter: ClaimFilter): Promise<Claim[]>;
  history(tenant: Tenant, claimId: string): Promise<ClaimHistoryEntry[]>;
  addAttachment(tenant: Tenant, attachment: ClaimAttachment, content: Uint8Array): Promise<void>;
  /** One attachment with its bytes, for download. */
  attachment(
    tenant: Tenant,
    claimId: string,
    attachmentId: string,
  ): Promise<{ attachment: ClaimAttachment; content: Uint8Array } | undefined>;
  /** The tenant a claim belongs to, found by id alone: the admin plane's claims handlers start from an id. */
  locate(id: string): Promise<Tenant | undefined>;
  /** Claims across tenants, newest first: the claims handlers' work queue. */
  listAll(filter: ClaimFilter & { partnerId?: string; mode?: Tenant['mode'] }): Promise<Claim[]>;
}

/** A policy's instalment schedule. */
export interface InstalmentRepository {
  insertMany(instalments: Instalment[]): Promise<void>;
  /** In number order. */
  list(tenant: Tenant, policyId: string): Promise<Instalment[]>;
  get(
    tenant: Tenant,
    policyId: string,
    number: number,
    opts?: { forUpdate?: boolean },
  ): Promise<Instalment | undefined>;
  /** Writes the amounts (a repriced policy re-plans what is unpaid), status, paidAt, paymentAttemptedAt and updatedAt. */
  update(instalment: Instalment): Promise<void>;
  /**
   * Live (scheduled or active) policies with an instalment not paid by its `lapseAt` <= `now`, across
   * tenants, longest overdue first: the scheduler's lapse work list.
   */
  overdue(now: Date, limit: number): Promise<{ tenant: Tenant; policyId: string }[]>;
}

/** Changes of a policy priced now and confirmed later: modifications, renewals and cancellations. */
export interface PolicyChangeRepository {
  insert(change: PolicyChange): Promise<void>;
  /** `forUpdate` locks the change until the transaction ends. */
  get(tenant: Tenant, id: string, opts?: { forUpdate?: boolean }): Promise<PolicyChange | undefined>;
  /** The changes priced together under `groupId`, in id order; `forUpdate` locks them. */
  group(tenant: Tenant, groupId: string, opts?: { forUpdate?: boolean }): Promise<PolicyChange[]>;
  /** Writes status, confirmedAt, resultPolicyId and cancellation (the refund made). */
  update(change: PolicyChange): Promise<void>;
}

/** Policies whose time has come, across tenants, for the scheduler. */
export type DueKind = 'activation' | 'expiry' | 'renewal_notice';

export interface Repositories {
  partners: PartnerRepository;
  credentials: CredentialRepository;
  failedAttempts: FailedAttemptRepository;
  requestRates: RequestRateRepository;
  products: ProductRepository;
  productChanges: ProductChangeRepository;
  offers: OfferRepository;
  policies: PolicyRepository;
  orderEvents: OrderEventRepository;
  idempotency: IdempotencyRepository;
  notifications: NotificationRepository;
  webhooks: WebhookRepository;
  jobs: JobRepository;
  claims: ClaimRepository;
  stores: StoreRepository;
  aliases: AliasRepository;
  dialectRecords: DialectRecordRepository;
  solutions: SolutionRepository;
  policyChanges: PolicyChangeRepository;
  instalments: InstalmentRepository;
  consoleUsers: ConsoleUserRepository;
  consoleSessions: ConsoleSessionRepository;
  orders: OrderRepository;
  carts: CartRepository;
  merchantPlans: MerchantPlanRepository;
  currencyMarkets: CurrencyMarketRepository;
  productFacts: ProductFactsRepository;
}

/** The database as the layers above storage see it: transactions for writes, repositories for reads. */
export interface UnitOfWork {
  /**
   * Runs work in one transaction: all of it is written, or none. When the database refuses the work
   * for a conflict with a concurrent transaction (a unit another policy took meanwhile, a deadlock),
   * the work runs again, from the start, in a new transaction: it must act on nothing but `repos`.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Repositories outside a transaction, for reads. */
  readonly read: Repositories;
  /**
   * Reference data (partners, credentials, stores, products, what each partner sells, webhook
   * endpoints) is read from memory and may lag a change another process made by the time its notice
   * takes to arrive; this resolves once every such change committed before the call is seen here. A
   * change made through this unit of work is seen at once.
   */
  caughtUp(): Promise<void>;
}

/** What a use case is handed: repositories bound to the caller's transaction, the clock, the id source. */
export interface CoreDeps {
  repos: Repositories;
  clock: Clock;
  ids: IdGenerator;
}

export interface IdempotencyRepository {
  /**
   * Takes the key for this request, in the transaction of the work it guards, unless another request
   * holds it (its transaction is running) or has answered it: returns `undefined` when taken, else the
   * record that is there. The key is held until the transaction ends; a rolled-back or crashed one
   * leaves it free. (A key taken outside a transaction, as before, is held until `lockedUntil`.)
   */
  claim(scope: IdempotencyScope, requestHash: string, at: Date): Promise<IdempotencyRecord | undefined>;
  /** Stores the answer, in the same transaction as the work it answers for. */
  complete(scope: IdempotencyScope, response: StoredResponse): Promise<void>;
  /** Forgets keys past their 48 hours, across tenants (housekeeping); returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

/** Another id form a dialect shows for one of ours (an Omocom insurance GUID for a policy id). */
export interface AliasRepository {
  add(
    tenant: Tenant,
    alias: { kind: string; alias: string; targetId: string; createdAt: Date },
  ): Promise<void>;
  /** The id an alias stands for. */
  resolve(tenant: Tenant, kind: string, alias: string): Promise<string | undefined>;
  /** The alias of one of our ids. */
  aliasOf(tenant: Tenant, kind: string, targetId: string): Promise<string | undefined>;
}

/** A record a dialect keeps for itself (an Omocom User or InsurableObject), named by a handle. */
export interface DialectRecord {
  kind: string;
  handle: string;
  /** The client's own id for it, unique per tenant and kind. */
  key: string | null;
  /** The handle of a record it belongs to (an owner), for listing. */
  ref: string | null;
  email: string | null;
  data: Record<string, unknown>;
  /** Encrypted at rest. */
  personalId: string | null;
  createdAt: Date;
}

export interface DialectRecordRepository {
  /** Inserts the record; returns false (and writes nothing) when its key is taken. */
  insert(tenant: Tenant, record: DialectRecord): Promise<boolean>;
  /** `forUpdate` locks the record until the transaction ends, for read-modify-write of its data. */
  get(
    tenant: Tenant,
    kind: string,
    handle: string,
    opts?: { forUpdate?: boolean },
  ): Promise<DialectRecord | undefined>;
  /** The records of these handles that exist, in one read (a page's, not one read per row). */
  getMany(tenant: Tenant, kind: string, handles: readonly string[]): Promise<DialectRecord[]>;
  /**
   * Every record of a kind, newest first, with the status of each policy its data names at
   * `data[list][*][id]` (XCover's bookings: `quotes[*].policyId`): one read that filters a whole book by
   * its policies' statuses without reading a record's document.
   */
  linkedPolicies(
    tenant: Tenant,
    kind: string,
    path: { list: string; id: string },
  ): Promise<{ handle: string; policies: { status: PolicyStatus; renewedBy: string | null }[] }[]>;
  /** Writes the record's ref, email, data and personal id (its handle, key and creation stay). */
  update(tenant: Tenant, record: DialectRecord): Promise<void>;
  /** One page of a kind's records, newest first, with how many there are in all. */
  page(
    tenant: Tenant,
    kind: string,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; records: DialectRecord[] }>;
  byKey(tenant: Tenant, kind: string, key: string): Promise<DialectRecord | undefined>;
  /** Records matching every given criterion (email case-insensitively), oldest first. */
  find(
    tenant: Tenant,
    kind: string,
    by: { ref?: string; email?: string; personalId?: string },
  ): Promise<DialectRecord[]>;
}

/** A partner's solution codes: each names one product in one market (see core/solutions). */
export interface SolutionRepository {
  /** Writes the solution, replacing one of the same code. */
  put(solution: Solution): Promise<void>;
  get(partnerId: string, code: string): Promise<Solution | undefined>;
  list(partnerId: string): Promise<Solution[]>;
  /** Returns whether there was such a solution. */
  remove(partnerId: string, code: string): Promise<boolean>;
}

/** People who sign in to the console, with their password hashes. */
export interface ConsoleUserRepository {
  add(user: ConsoleUser, passwordHash: string): Promise<void>;
  /** By address, case-insensitively. */
  byEmail(email: string): Promise<{ user: ConsoleUser; passwordHash: string } | undefined>;
  get(id: string): Promise<ConsoleUser | undefined>;
  /** Operators and every partner's users when no partner is named; else that partner's. */
  list(partnerId?: string): Promise<ConsoleUser[]>;
}

export interface ConsoleSessionRepository {
  add(session: ConsoleSession): Promise<void>;
  get(tokenHash: string): Promise<ConsoleSession | undefined>;
  remove(tokenHash: string): Promise<void>;
}

/** A partner's stores (POS locations), by the partner's own id for them. */
export interface StoreRepository {
  add(store: PartnerStore): Promise<void>;
  get(partnerId: string, externalId: string): Promise<PartnerStore | undefined>;
  list(partnerId: string): Promise<PartnerStore[]>;
  /** Returns whether there was such a store. */
  remove(partnerId: string, externalId: string): Promise<boolean>;
}
