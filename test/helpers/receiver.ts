import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real HTTP server that takes webhook deliveries and answers as told: `answer` picks the status for
 * the n-th request (0-based), or `'hang'`: the request is held unanswered until `release` (or until the
 * sender gives up). It records everything it answered.
 */
export async function startReceiver(answer: (n: number, body: string) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const held = new Set<{ headers: IncomingHttpHeaders; body: string; res: ServerResponse }>();
  /** Requests held that the sender gave up on (its timeout): never answered. */
  let abandoned = 0;
  const reply = (res: ServerResponse, status: number) =>
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(received.length, body);
      if (status === 'hang') {
        const h = { headers: req.headers, body, res };
        held.add(h);
        res.on('close', () => {
          if (held.delete(h)) abandoned++;
        });
        return;
      }
      received.push({ headers: req.headers, body, status });
      reply(res, status);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Deliveries the receiver accepted, one per webhook-id: what a deduplicating receiver keeps. */
    acceptedIds: () =>
      new Set(received.filter((r) => r.status < 300).map((r) => String(r.headers['webhook-id']))),
    /** Requests held unanswered right now. */
    held: () => held.size,
    /** Held requests the sender gave up on. */
    abandoned: () => abandoned,
    /** Answers every held request with `status` (recorded like any other). */
    release(status: number) {
      for (const h of [...held]) {
        held.delete(h);
        received.push({ headers: h.headers, body: h.body, status });
        reply(h.res, status);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
