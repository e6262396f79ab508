import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MAIL_FROM, loadConfig } from '../../src/config.js';

// A key in the environment keeps loadConfig from writing one into the data folder.
const base = {
  PROTEGO_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PROTEGO_DATA_DIR: '/tmp/protego-x',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('mail configuration', () => {
  it('keeps mail as files in the data folder unless SMTP_URL names a server', () => {
    const config = loadConfig(base);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailDir).toBe(join(resolve('/tmp/protego-x'), 'mail'));
    expect(config.mailFrom).toBe(DEFAULT_MAIL_FROM);
    expect(loadConfig({ ...base, SMTP_URL: '' }).smtpUrl).toBeUndefined();
  });

  it('takes smtp:// and smtps:// URLs, with credentials', () => {
    for (const url of [
      'smtp://user:pass@mail.example.com:587',
      'smtps://mail.example.com',
      'SMTP://localhost:25',
    ]) {
      expect(loadConfig({ ...base, SMTP_URL: url }).smtpUrl).toBe(url);
    }
  });

  it('refuses any other SMTP_URL and a MAIL_FROM without an address, all at once', () => {
    for (const url of ['http://mail.example.com', 'mail.example.com:587', 'smtp://', 'smtp:host']) {
      expect(problems({ SMTP_URL: url }), url).toEqual([
        expect.stringMatching(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\//),
      ]);
    }
    expect(problems({ SMTP_URL: 'ftp://x', MAIL_FROM: 'Protego' })).toHaveLength(2);
    expect(loadConfig({ ...base, MAIL_FROM: 'policies@example.com' }).mailFrom).toBe('policies@example.com');
    expect(loadConfig({ ...base, MAIL_FROM: 'Protego Försäkring <p@example.se>' }).mailFrom).toBe(
      'Protego Försäkring <p@example.se>',
    );
    expect(problems({ MAIL_FROM: 'Protego <not an address>' })).toHaveLength(1);
  });
});
