// Builds dist/ from src/: TypeScript (tsc -b, incremental), then the files it does not emit (SQL
// migrations, templates and assets). `--if-stale` does nothing when dist/ is newer than every source:
// `npm start` runs it before each start, and loading the compiler alone cost a second of the start.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const STAMP = 'dist/.built';
const SOURCES = ['src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

if (process.argv.includes('--if-stale') && existsSync(STAMP)) {
  const built = statSync(STAMP).mtimeMs;
  if (SOURCES.every((path) => newest(path) <= built)) process.exit(0);
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
cpSync('src/storage/migrations', 'dist/storage/migrations', { recursive: true });
cpSync('src/web', 'dist/web', { recursive: true, filter: (file) => !file.endsWith('.ts') });
writeFileSync(STAMP, `${new Date().toISOString()}\n`);
