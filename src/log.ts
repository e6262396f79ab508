import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Keys whose values never reach a log line, at any depth and any level: credentials, personal ids,
 * e-mail addresses and phone numbers, and the parameters a database driver attaches to a failed
 * statement (they are the policyholder's data).
 */
const REDACTED_KEYS =
  /^(authorization|x-api-key|cookie|client_secret|secret|password|api_key|personal_?id|SocialSecurityNumber|SSN|e-?mail|EmailAddress|phone|PhoneNumber|parameters|params)$/i;

/** An e-mail address inside free text (a refusal's message, a driver's error). */
const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[A-Za-z]{2,}/g;

function redact(value: unknown, depth = 0): unknown {
  if (depth > 12) return '[deep]';
  if (typeof value === 'string') return value.replace(EMAIL, '[email]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) {
    const { name, message, stack } = value;
    return redact({ ...value, type: name, message, stack }, depth + 1);
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, REDACTED_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/**
 * Protego's logger: pino, every line redacted as above. Request lines carry the path without its query
 * string: a lookup such as Omocom's Users/find may carry a social security number there.
 */
export function protegoLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url?.split('?')[0],
        }),
      },
      formatters: { log: (object) => redact(object) as Record<string, unknown> },
      hooks: {
        // The message itself: `log.info(obj, 'sent to ada@example.com')`.
        logMethod(args, method) {
          method.apply(this, args.map((a) => redact(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
