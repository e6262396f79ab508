import { CoreError, invalid, notFound, renameFields } from '../errors.js';
import type { Tenant } from '../partners/partner.js';
import { type BindSource, bindPolicy } from '../policies/bind-policy.js';
import { endPolicy } from '../policies/cancel-policy.js';
import { startCover } from '../policies/confirm-policy.js';
import type { Policy } from '../policies/policy.js';
import { TERMINAL_STATUSES } from '../policies/state-machine.js';
import type { CoreDeps } from '../ports.js';
import type { LineQuantity, OrderEvent, OrderEventInput, OrderLine } from './order-event.js';

export interface OrderEventResult {
  event: OrderEvent;
  /** Every policy the event created or changed, in its new state. */
  policies: Policy[];
}

/** Keeps protection in step with the order: placing binds plans, fulfilment starts cover, refunds and cancellation end it. */
export async function applyOrderEvent(
  deps: CoreDeps,
  tenant: Tenant,
  input: OrderEventInput,
): Promise<OrderEventResult> {
  const now = deps.clock.now();
  // An order placed again is the first placing, replayed; any other event the order already had, too.
  const placed = input.type === 'order_placed' && (await deps.repos.orders.get(tenant, input.orderId));
  const replayed = (await deps.repos.orderEvents.list(tenant, input.orderId)).find((e) =>
    placed ? e.type === 'order_placed' : input.type !== 'order_placed' && sameEvent(e.payload, input),
  );
  if (replayed) {
    const policies = placed ? await deps.repos.policies.byOrder(tenant, input.orderId) : [];
    return { event: replayed, policies };
  }
  const policies = await STEPS[input.type](deps, tenant, input as never);
  const event: OrderEvent = {
    id: deps.ids.next('orderEvent'),
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    orderId: input.orderId,
    type: input.type,
    occurredAt: input.occurredAt ?? now,
    payload: input,
    policyIds: policies.map((p) => p.id),
    createdAt: now,
  };
  await deps.repos.orderEvents.insert(event);
  return { event, policies };
}

/**
 * An event the order has already had: same type, time, lines, quantities and line times. Posted again
 * (a client's retry without an idempotency key) it changes nothing. Two refunds of one unit each are told
 * apart by their times; sent without times they are one event.
 */
function sameEvent(a: OrderEventInput, b: OrderEventInput): boolean {
  const time = (d: Date | undefined) => (d ? new Date(d).toISOString() : '');
  const lines = (e: OrderEventInput) =>
    'lines' in e && e.type !== 'order_placed'
      ? e.lines.map((l) => `${l.lineId}|${l.quantity}|${time(l.at)}`).join(',')
      : '';
  return a.type === b.type && time(a.occurredAt) === time(b.occurredAt) && lines(a) === lines(b);
}

type Step<T extends OrderEventInput['type']> = (
  deps: CoreDeps,
  tenant: Tenant,
  input: Extract<OrderEventInput, { type: T }>,
) => Promise<Policy[]>;

const STEPS: { [T in OrderEventInput['type']]: Step<T> } = {
  order_placed: placeOrder,
  fulfilled: async (deps, tenant, input) => {
    await requirePlacedLines(deps, tenant, input.orderId, input.lines);
    return fulfilLines(deps, tenant, input.orderId, input.lines, input.occurredAt);
  },
  refunded: async (deps, tenant, input) => {
    await requirePlacedLines(deps, tenant, input.orderId, input.lines);
    return refundLines(deps, tenant, input.orderId, input.lines);
  },
  cancelled: async (deps, tenant, input) => {
    await requirePlacedLines(deps, tenant, input.orderId, []);
    return cancelOrder(deps, tenant, input);
  },
};

/**
 * An event may name only an order Protego knows, and only its lines: one placed through an order event
 * (its lines kept), or one whose policies were bound naming it (`refs.orderId`, their lines
 * `refs.lineId` and `refs.planLineId`). Anything else is a 404 naming it, and nothing is written.
 */
async function requirePlacedLines(
  deps: CoreDeps,
  tenant: Tenant,
  orderId: string,
  lines: LineQuantity[],
): Promise<void> {
  const order = await deps.repos.orders.get(tenant, orderId);
  const known = new Set(order?.lines.map((l) => l.lineId));
  if (!order) {
    const policies = await deps.repos.policies.byOrder(tenant, orderId);
    if (policies.length === 0) throw notFound(`order ${orderId}`, 'orderId');
    for (const p of policies) for (const id of [p.refs.lineId, p.refs.planLineId]) if (id) known.add(id);
  }
  lines.forEach((line, i) => {
    if (!known.has(line.lineId)) {
      throw new CoreError('not_found', `order ${orderId} has no line ${line.lineId}`, [
        { field: `lines/${i}/lineId`, message: `not a line of order ${orderId}` },
      ]);
    }
  });
}

/**
 * Binds one policy per unit of every protection line, each naming the unit of the product line it
 * protects (`orderUnit`, numbered across the plan lines protecting it), and keeps the order and its
 * lines. Placing the same order again changes nothing: it answers with the policies the first placing
 * bound. Two placings at once are kept to one by the database (one policy per unit of a line, one
 * order per id): the one that loses runs again and finds the first's.
 */
async function placeOrder(
  deps: CoreDeps,
  tenant: Tenant,
  input: Extract<OrderEventInput, { type: 'order_placed' }>,
): Promise<Policy[]> {
  if (await deps.repos.orders.get(tenant, input.orderId)) {
    return deps.repos.policies.byOrder(tenant, input.orderId);
  }
  checkLines(input.lines);
  const byId = new Map(input.lines.map((l) => [l.lineId, l]));
  const bound: Policy[] = [];
  const nextUnit = new Map<string, number>();
  for (const [index, line] of input.lines.entries()) {
    if (!line.protection) continue;
    const protectedLine = byId.get(line.protection.protectsLineId)!;
    const source = bindSource(line, index, protectedLine, input.country);
    for (let n = 0; n < line.quantity; n++) {
      const unit = nextUnit.get(protectedLine.lineId) ?? 0;
      nextUnit.set(protectedLine.lineId, unit + 1);
      bound.push(
        await bindPolicy(deps, tenant, {
          source,
          orderUnit: unit,
          policyholder: input.customer,
          refs: {
            ...input.refs,
            orderId: input.orderId,
            lineId: protectedLine.lineId,
            planLineId: line.lineId,
          },
          ...(input.occurredAt ? { coverageStart: input.occurredAt } : {}),
          ...(line.protection.expectedPremium ? { expectedPremium: line.protection.expectedPremium } : {}),
        }).catch((error: unknown) => {
          throw inOrderTerms(error, index, input.lines.indexOf(protectedLine));
        }),
      );
    }
  }
  await deps.repos.orders.insert({
    partnerId: tenant.partnerId,
    mode: tenant.mode,
    orderId: input.orderId,
    lines: input.lines.map((l) => ({
      lineId: l.lineId,
      quantity: l.quantity,
      ...(l.protection ? { protectsLineId: l.protection.protectsLineId } : {}),
    })),
    placedAt: input.occurredAt ?? deps.clock.now(),
    createdAt: deps.clock.now(),
  });
  return bound;
}

function checkLines(lines: OrderLine[]): void {
  const ids = new Set<string>();
  lines.forEach((line, i) => {
    if (ids.has(line.lineId)) throw invalid(`lines/${i}/lineId`, 'used twice in this order');
    ids.add(line.lineId);
  });
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  // Each unit of a product line is protected once: the plan lines protecting it share its quantity.
  const planned = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!line.protection && !line.item) throw invalid(`lines/${i}`, 'a line needs an item or a protection');
    if (!line.protection) return;
    const target = byId.get(line.protection.protectsLineId);
    if (!target || target.protection) {
      throw invalid(`lines/${i}/protection/protectsLineId`, 'must name a product line of this order');
    }
    if (!target.item) throw invalid(`lines/${i}/protection/protectsLineId`, 'the protected line has no item');
    const before = planned.get(target.lineId) ?? 0;
    if (before + line.quantity > target.quantity) {
      const left = target.quantity - before;
      throw new CoreError('quantity_exceeded', 'more plans than protected products', [
        {
          field: `lines/${i}/quantity`,
          message:
            before === 0
              ? `at most ${target.quantity}, the quantity of line ${target.lineId}`
              : `at most ${left}: line ${target.lineId} has ${target.quantity}, and earlier plan lines protect ${before}`,
        },
      ]);
    }
    planned.set(target.lineId, before + line.quantity);
  });
}

function bindSource(line: OrderLine, index: number, protectedLine: OrderLine, country: string): BindSource {
  const p = line.protection!;
  if (p.offerId && p.optionId) return { offerId: p.offerId, optionId: p.optionId };
  if (p.productCode && p.termMonths) {
    return { productCode: p.productCode, termMonths: p.termMonths, country, item: protectedLine.item! };
  }
  throw invalid(`lines/${index}/protection`, 'give offer_id and option_id, or product_code and term_months');
}

/** Units of each protected line the event names; a plan line and its product line count once, not twice. */
async function linkedPolicies(
  deps: CoreDeps,
  tenant: Tenant,
  orderId: string,
  lines: LineQuantity[],
): Promise<{ policies: Policy[]; quantity: number; at: Date | undefined }[]> {
  const policies = await deps.repos.policies.byOrder(tenant, orderId, { forUpdate: true });
  const groups = new Map<string, { policies: Policy[]; quantity: number; at: Date | undefined }>();
  for (const line of lines) {
    const linked = policies.filter((p) => p.refs.lineId === line.lineId || p.refs.planLineId === line.lineId);
    const key = linked[0]?.refs.lineId;
    if (!key) continue;
    const group = groups.get(key) ?? { policies: linked, quantity: 0, at: line.at };
    group.quantity = Math.max(group.quantity, line.quantity);
    groups.set(key, group);
  }
  return [...groups.values()];
}

async function fulfilLines(
  deps: CoreDeps,
  tenant: Tenant,
  orderId: string,
  lines: LineQuantity[],
  occurredAt: Date | undefined,
): Promise<Policy[]> {
  const changed: Policy[] = [];
  for (const group of await linkedPolicies(deps, tenant, orderId, lines)) {
    const waiting = group.policies.filter(
      (p) => p.coverageStart === null && !TERMINAL_STATUSES.includes(p.status),
    );
    for (const policy of waiting.slice(0, group.quantity)) {
      changed.push(await startCover(deps, policy, group.at ?? occurredAt ?? deps.clock.now()));
    }
  }
  return changed;
}

/**
 * A refunded unit ends one policy of its line, with the refund the product's rule gives, and the
 * renewal booked to follow it: a renewed policy and its next term are one unit of the order.
 */
async function refundLines(
  deps: CoreDeps,
  tenant: Tenant,
  orderId: string,
  lines: LineQuantity[],
): Promise<Policy[]> {
  const changed: Policy[] = [];
  for (const group of await linkedPolicies(deps, tenant, orderId, lines)) {
    const live = group.policies.filter((p) => !TERMINAL_STATUSES.includes(p.status));
    const units = live.filter((p) => !live.some((q) => q.id === p.renewalOf));
    for (const unit of units.slice(0, group.quantity)) {
      for (let policy: Policy | undefined = unit; policy; ) {
        changed.push(
          (await endPolicy(deps, policy, { preview: false, reason: 'order_line_refunded' })).policy,
        );
        const next: string | null | undefined = policy.renewedBy;
        policy = live.find((p) => p.id === next);
      }
    }
  }
  return changed;
}

/** The whole order is off: what has not started is voided, what has started is cancelled with its refund. */
async function cancelOrder(
  deps: CoreDeps,
  tenant: Tenant,
  input: Extract<OrderEventInput, { type: 'cancelled' }>,
): Promise<Policy[]> {
  const policies = await deps.repos.policies.byOrder(tenant, input.orderId, { forUpdate: true });
  const changed: Policy[] = [];
  for (const policy of policies.filter((p) => !TERMINAL_STATUSES.includes(p.status))) {
    const result = await endPolicy(deps, policy, {
      preview: false,
      reason: 'order_cancelled',
      voidIfNotStarted: true,
    });
    changed.push(result.policy);
  }
  return changed;
}

/** Errors of binding a plan, named by where the data sat in the order event. */
function inOrderTerms(error: unknown, planIndex: number, productIndex: number): unknown {
  if (!(error instanceof CoreError)) return error;
  const where = (field: string): string => {
    if (field.startsWith('policyholder/')) return field.replace('policyholder/', 'customer/');
    if (field.startsWith('item/')) return `lines/${productIndex}/${field}`;
    if (field === 'country') return field;
    if (field === 'coverageStart') return 'occurredAt';
    if (['offerId', 'optionId', 'productCode', 'termMonths'].includes(field)) {
      return `lines/${planIndex}/protection/${field}`;
    }
    return `lines/${planIndex}/${field}`;
  };
  return renameFields(error, where);
}
