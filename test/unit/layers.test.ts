import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * "Code under src/http writes no repository": every write goes through a use case in src/core. An
 * import rule cannot say this (src/http may read repositories), so this test reads the syntax: a call
 * of a write method on `<…>.repos.<repository>` or `<…>.read.<repository>`, or of `<…>.db.transaction`.
 * src/http/kit/write.ts is exempt: the idempotent write, its transaction and its key store are the
 * kit's business.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HTTP = join(ROOT, 'src', 'http');
/** The pages obey the same rule: src/web writes through core use cases only. */
const WEB = join(ROOT, 'src', 'web');
const EXEMPT = ['src/http/kit/write.ts', 'src/web/kit/write.ts'];

/** Repository methods that write; every method of src/core/ports.ts's repositories is one of these or a read. */
const WRITES = new Set([
  'add',
  'addAttachment',
  'claim',
  'complete',
  'create',
  'disableProduct',
  'enableProduct',
  'enqueue',
  'finish',
  'insert',
  'insertMany',
  'markDeclined',
  'purgeExpired',
  'put',
  'release',
  'remove',
  'requeue',
  'revokeSet',
  'set',
  'update',
]);
const READS = new Set([
  'aliasOf',
  'attachment',
  'attempts',
  'byKey',
  'byEmail',
  'byOrder',
  'due',
  'enabledProducts',
  'eventsInPeriod',
  'find',
  'get',
  'getByCode',
  'getById',
  'getMany',
  'group',
  'history',
  'linkedPolicies',
  'list',
  'listAll',
  'listEnabled',
  'locate',
  'optionUnits',
  'overdue',
  'page',
  'resolve',
  'search',
  'lookup',
]);

function parse(file: string, source: string): ts.SourceFile {
  return ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
}

/** The repositories (`offers`, `dialectRecords`…) and each one's methods, read from src/core/ports.ts. */
function repositories(): Map<string, string[]> {
  const ports = parse('ports.ts', readFileSync(join(ROOT, 'src', 'core', 'ports.ts'), 'utf8'));
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  ports.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const methodsOf = (name: string) =>
    (interfaces.get(name)?.members ?? []).flatMap((m) =>
      ts.isMethodSignature(m) ? [m.name.getText(ports)] : [],
    );
  const repos = new Map<string, string[]>();
  for (const member of interfaces.get('Repositories')?.members ?? []) {
    if (ts.isPropertySignature(member) && member.type) {
      repos.set(member.name.getText(ports), methodsOf(member.type.getText(ports)));
    }
  }
  return repos;
}

/** The last name of `a.b.c` (`c`), or of a bare identifier. */
function lastName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

/** The writes one file's source makes, as `repos.<repository>.<method>` or `db.transaction`. */
function findWrites(file: string, source: string, repoNames: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      if (method === 'transaction' && lastName(receiver) === 'db') found.push('db.transaction');
      if (WRITES.has(method) && ts.isPropertyAccessExpression(receiver)) {
        const repo = receiver.name.text;
        const via = lastName(receiver.expression);
        if (repoNames.has(repo) && (via === 'repos' || via === 'read'))
          found.push(`${via}.${repo}.${method}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file, source));
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.isFile() && entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('src/http writes no repository', () => {
  const repos = repositories();
  const repoNames = new Set(repos.keys());

  it('knows every repository method as a read or a write, so a new write cannot slip through', () => {
    expect(repoNames).toContain('dialectRecords');
    const unknown = [...repos].flatMap(([repo, methods]) =>
      methods.filter((m) => !WRITES.has(m) && !READS.has(m)).map((m) => `${repo}.${m}`),
    );
    expect(unknown, 'add these methods to WRITES or READS').toEqual([]);
  });

  it('has no repository write in src/http or src/web but the kits’', () => {
    const found: string[] = [];
    for (const path of [...sources(HTTP), ...sources(WEB)]) {
      const file = relative(ROOT, path).split(sep).join('/');
      if (EXEMPT.includes(file)) continue;
      for (const call of findWrites(file, readFileSync(path, 'utf8'), repoNames))
        found.push(`${file}: ${call}`);
    }
    // Each one found: move the write into a use case in src/core.
    expect(found).toEqual([]);
  });
});

describe('the write finder itself', () => {
  const names = new Set(['offers', 'dialectRecords', 'idempotency']);
  const writes = (source: string) => findWrites('src/http/example.ts', source, names);

  it.each([
    ['await deps.repos.offers.insert(offer);', 'repos.offers.insert'],
    ['await repos.dialectRecords.update(tenant, record);', 'repos.dialectRecords.update'],
    ['await app.protego.db.read.offers.markDeclined(t, id, at);', 'read.offers.markDeclined'],
    ['await services.db.read.idempotency.complete(scope, answer);', 'read.idempotency.complete'],
    ['await app.protego.db.transaction((r) => work(r));', 'db.transaction'],
    ['await db.transaction(async (r) => r);', 'db.transaction'],
  ])('flags %s', (source, call) => {
    expect(writes(source)).toEqual([call]);
  });

  it.each([
    'await deps.repos.offers.get(tenant, id);',
    'await app.protego.db.read.dialectRecords.find(tenant, kind, by);',
    'await deps.repos.unknownThing.insert(x);',
    'list.add(item);',
    'await reply.send(body); // deps.repos.offers.insert(offer) in a comment',
  ])('leaves %s alone', (source) => {
    expect(writes(source)).toEqual([]);
  });
});
