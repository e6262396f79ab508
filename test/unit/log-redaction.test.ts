import { describe, expect, it } from 'vitest';
import { protegoLogger } from '../../src/log.js';

/** What a log line may never hold, whatever logged it: checked on the lines themselves. */
describe('the logger', () => {
  const logged = (log: (logger: ReturnType<typeof protegoLogger>) => void) => {
    const lines: string[] = [];
    log(protegoLogger('trace', { write: (line: string) => void lines.push(line) }));
    return lines.join('');
  };

  it("drops a failed statement's parameters, as a database driver attaches them to its error", () => {
    const error = Object.assign(new Error('duplicate key value violates unique constraint'), {
      query: 'INSERT INTO policies (email, personal_id_enc) VALUES ($1, $2)',
      params: ['ada@example.com', '19840726-1234'],
      parameters: ['ada@example.com'],
    });
    const line = logged((l) => l.error({ err: error }, 'unhandled error'));
    expect(line).toContain('duplicate key');
    expect(line).not.toMatch(/ada@example\.com|19840726/);
  });

  it('redacts personal ids, e-mail addresses, phone numbers and secrets at any depth and level', () => {
    const line = logged((l) =>
      l.trace(
        {
          body: {
            policyholder: { personal_id: '19840726-1234', email: 'ada@example.com', phone: '+46705554422' },
            customers: [{ SocialSecurityNumber: { SSN: '19900101-4321' }, EmailAddress: 'glen@example.com' }],
            client_secret: 'hunter2',
          },
          headers: { authorization: 'Bearer sk_live_abc', 'x-api-key': 'k' },
        },
        'the request ada@example.com sent',
      ),
    );
    expect(line).not.toMatch(/19840726|19900101|ada@example|glen@example|\+46705554422|hunter2|sk_live_abc/);
    expect(line).toContain('[redacted]');
  });
});
