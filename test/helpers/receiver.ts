import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A real HTTP server that takes webhook deliveries and answers as told: `answer` picks the status for
 * the n-th request (0-based). It records everything it was sent.
 */
export async function startReceiver(answer: (n: number, body: string) => number = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = answer(received.length, body);
      received.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
