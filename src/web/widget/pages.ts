import { readFileSync } from 'node:fs';
import helmet from '@fastify/helmet';
import { DEMO_PUBLISHABLE_KEY } from '../../demo/catalog.js';
import type { App } from '../../http/context.js';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url));
const WIDGET = asset('widget.js');
const DEMO_SHOP = asset('demo-shop.html')
  .toString('utf8')
  .replace('__PUBLISHABLE_KEY__', DEMO_PUBLISHABLE_KEY.key);
const DEMO_JS = asset('demo-shop.js');
const DEMO_CSS = asset('demo-shop.css');

/**
 * The offer widget (`/widget.js`, the `<protego-offer>` element a shop puts in its own pages) and the
 * demo shop page that uses it with the demo partner's publishable key.
 */
export async function widgetPages(app: App): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        connectSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // Shops on other origins load /widget.js with a <script> tag.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });

  const send =
    (type: string, body: Buffer | string, maxAge: number) =>
    (_request: unknown, reply: import('fastify').FastifyReply) =>
      reply.type(type).header('cache-control', `public, max-age=${maxAge}`).send(body);

  app.get('/widget.js', { schema: { hide: true } }, send('text/javascript; charset=utf-8', WIDGET, 300));
  app.get('/demo-shop', { schema: { hide: true } }, send('text/html; charset=utf-8', DEMO_SHOP, 0));
  app.get(
    '/demo-shop/demo-shop.js',
    { schema: { hide: true } },
    send('text/javascript; charset=utf-8', DEMO_JS, 300),
  );
  app.get(
    '/demo-shop/demo-shop.css',
    { schema: { hide: true } },
    send('text/css; charset=utf-8', DEMO_CSS, 300),
  );
}
