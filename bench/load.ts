import autocannon from 'autocannon';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const RUNS = Number(process.env.BENCH_RUNS ?? 3);

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

export interface Request {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request afresh (a new idempotency key, a signature over the current date, …). */
  setup?: () => { path?: string; headers?: Record<string, string>; body?: string };
}

/**
 * One load run: `connections` clients for SECONDS (or `amount` requests), every answer 2xx or the run
 * fails. Latencies are autocannon's, in whole milliseconds.
 */
export async function load(
  url: string,
  request: Request,
  opts: { connections: number; amount?: number },
): Promise<Load> {
  const { setup, ...fixed } = request;
  const r = await autocannon({
    url,
    connections: opts.connections,
    // A slow route is a figure to show, not a run to abandon.
    timeout: 60,
    // autocannon ends a run (and times it) only at a sample's end: at its default of a second, a run of
    // a fixed `amount` read as lasting a whole number of seconds.
    sampleInt: 10,
    ...(opts.amount ? { amount: opts.amount } : { duration: SECONDS }),
    requests: [
      {
        ...fixed,
        ...(setup
          ? {
              setupRequest: (req: autocannon.Request) => {
                const made = setup();
                return {
                  ...req,
                  ...made,
                  headers: { ...req.headers, ...made.headers },
                } as autocannon.Request;
              },
            }
          : {}),
      },
    ],
  });
  // A route slower than the run is long gets a few requests of its own, or its latency would read 0.
  if (!opts.amount && r.requests.total < 5)
    return load(url, request, { ...opts, amount: Math.max(5, opts.connections) });
  if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
    throw new Error(
      `${request.method} ${request.path}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  // Requests over elapsed time: autocannon's average is per sample, and counts a last, partial sample
  // as a whole one.
  return {
    rps: r.requests.total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
  };
}

/** Sends one request and fails on anything but 2xx: a scenario is checked before it is timed. */
export async function once(url: string, request: Request): Promise<unknown> {
  const made = request.setup?.() ?? {};
  const res = await fetch(url + (made.path ?? request.path), {
    method: request.method,
    headers: { ...request.headers, ...made.headers },
    ...(request.method !== 'GET' && (made.body ?? request.body) ? { body: made.body ?? request.body } : {}),
  });
  const text = await res.text();
  if (!res.ok)
    throw new Error(`${request.method} ${request.path}: answered ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : null;
}

/** The median of RUNS runs of `run`, figure by figure (a run's own p99 beside another's rate). */
export async function median(run: () => Promise<Load>): Promise<Load & { runs: Load[] }> {
  const runs: Load[] = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await run());
  const mid = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  return {
    rps: mid(runs.map((r) => r.rps)),
    p50: mid(runs.map((r) => r.p50)),
    p99: mid(runs.map((r) => r.p99)),
    requests: mid(runs.map((r) => r.requests)),
    runs,
  };
}
