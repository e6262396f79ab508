/**
 * The layering rules (issue #10), checked by `npm run lint`. Writes from src/http to repositories are not
 * an import question: test/unit/layers.test.ts checks those.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment:
        'src/core imports nothing outside src/core but ulidx (ids): no Fastify, SQL, mail, PDF or node I/O. Add a port to src/core/ports.ts instead.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { pathNot: ['^src/core/', '(^|/)node_modules/ulidx/'] },
    },
    {
      name: 'http-not-storage',
      comment: 'src/http reaches the database through the ports in src/core/ports.ts, never src/storage.',
      severity: 'error',
      from: { path: '^src/(http|web)/' },
      to: { path: '^src/storage/' },
    },
    {
      name: 'jobs-and-cli-not-http',
      comment:
        'src/jobs and src/cli never import src/http: shared wire rendering lives in src/wire, signing in src/signing, webhook formats are handed in by src/server.ts.',
      severity: 'error',
      from: { path: '^src/(jobs|cli)/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles in src.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        'Every import resolves, so no rule above is dodged by a path dependency-cruiser cannot follow.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from src/storage in src/http ties the layers as much as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
