import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE = join(ROOT, 'src', 'core');

/** Packages src/core must never import: HTTP, SQL, mail, PDF, file and network I/O. */
const FORBIDDEN_PACKAGES = [
  'fastify',
  'kysely',
  'pg',
  '@electric-sql/pglite',
  'nodemailer',
  'pdfkit',
  'node:http',
  'node:fs',
  // the same modules without the node: scheme
  'http',
  'fs',
];
const FORBIDDEN_SCOPES = ['@fastify/'];
/** Folders of src the core must not reach into (any relative import leaving src/core is refused too). */
const FORBIDDEN_DIRS = ['http', 'storage', 'jobs'];

interface Violation {
  file: string;
  specifier: string;
  reason: string;
}

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return coreFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file names: static and type imports, re-exports, import(), require(). */
function specifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

function violation(file: string, specifier: string): string | undefined {
  for (const name of FORBIDDEN_PACKAGES) {
    if (specifier === name || specifier.startsWith(`${name}/`)) return `imports the forbidden module ${name}`;
  }
  for (const scope of FORBIDDEN_SCOPES) {
    if (specifier.startsWith(scope)) return `imports from the forbidden scope ${scope}*`;
  }
  if (specifier.startsWith('.')) {
    const target = resolve(dirname(file), specifier);
    const fromCore = relative(CORE, target);
    if (fromCore === '..' || fromCore.startsWith(`..${sep}`)) {
      const fromSrc = relative(join(ROOT, 'src'), target).split(sep);
      const dir = FORBIDDEN_DIRS.find((d) => fromSrc[0] === d);
      const where = relative(ROOT, target).split(sep).join('/');
      return dir ? `reaches into src/${dir} (${where})` : `leaves src/core (${where})`;
    }
  }
  return undefined;
}

/** The violations in one file's source, as if it lived at `file`. */
function findViolations(file: string, source: string): Violation[] {
  const found: Violation[] = [];
  for (const specifier of specifiers(source)) {
    const reason = violation(file, specifier);
    if (reason) found.push({ file: relative(ROOT, file).split(sep).join('/'), specifier, reason });
  }
  return found;
}

describe('src/core purity', () => {
  const files = coreFiles(CORE);

  it('finds the core sources, nested folders included', () => {
    const names = files.map((f) => relative(CORE, f).split(sep).join('/'));
    expect(names.length).toBeGreaterThanOrEqual(20);
    expect(names).toContain('money.ts');
    expect(names).toContain('policies/refund.ts');
    expect(names).toContain('catalog/product.ts');
  });

  it('no file in src/core imports HTTP, SQL, mail, PDF, fs or anything outside src/core', () => {
    const violations = files.flatMap((file) => findViolations(file, readFileSync(file, 'utf8')));
    const report = violations.map((v) => `${v.file}: import '${v.specifier}' ${v.reason}`).join('\n');
    if (violations.length > 0) console.error(`src/core is not pure:\n${report}`);
    expect(report, `src/core is not pure:\n${report}`).toBe('');
  });
});

describe('the purity checker itself', () => {
  const file = join(CORE, 'policies', 'example.ts');
  const flagged = (source: string) => findViolations(file, source).map((v) => v.specifier);

  it.each([
    "import Fastify from 'fastify';",
    "import type { FastifyInstance } from 'fastify';",
    "import formbody from '@fastify/formbody';",
    "import { Kysely } from 'kysely';",
    "import pg from 'pg';",
    "import { Pool } from 'pg/lib/index.js';",
    "import { PGlite } from '@electric-sql/pglite';",
    "import nodemailer from 'nodemailer';",
    "import PDFDocument from 'pdfkit';",
    "import { createServer } from 'node:http';",
    "import { readFileSync } from 'node:fs';",
    "import { readFile } from 'node:fs/promises';",
    "import { readFileSync } from 'fs';",
    "export { app } from '../../http/app.js';",
    "import { openDatabase } from '../../storage/database.js';",
    "export * from '../../jobs/worker.js';",
    "import '../../demo/catalog.js';",
    "const m = await import('kysely');",
    "import x = require('pg');",
  ])('flags %s', (source) => {
    expect(flagged(source)).toHaveLength(1);
  });

  it.each([
    "import { monotonicFactory } from 'ulidx';",
    "import { CoreError } from '../errors.js';",
    "import type { Policy } from './policy.js';",
    "import { randomUUID } from 'node:crypto';",
    "import pgp from 'pg-promise-like';",
    "// not an import: 'fastify' in a comment\nconst s = 'kysely';",
  ])('leaves %s alone', (source) => {
    expect(flagged(source)).toEqual([]);
  });

  it('names the file and the import in its report', () => {
    expect(findViolations(file, "import { openDatabase } from '../../storage/database.js';")).toEqual([
      {
        file: 'src/core/policies/example.ts',
        specifier: '../../storage/database.js',
        reason: 'reaches into src/storage (src/storage/database.js)',
      },
    ]);
  });
});
