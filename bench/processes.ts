import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A port nobody listens on now: the kernel's pick for port 0, released for the child to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface Child {
  url: string;
  process: ChildProcess;
  /** Milliseconds from spawn to the first 2xx answer of `readyPath`. */
  startedInMs: number;
  stop(): Promise<void>;
}

/**
 * Starts a server in a process of its own, on a free port it is given as PORT, and waits until
 * `readyPath` answers 2xx: the harness never shares an event loop with what it measures.
 */
export async function startChild(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; readyPath?: string; timeoutMs?: number; cwd?: string } = {},
): Promise<Child> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, ...opts.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping `npm start` stops the node it runs too.
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited:\n${output}`);
    if (performance.now() > deadline) {
      killGroup(child);
      throw new Error(`${command} ${args.join(' ')} did not answer in time:\n${output}`);
    }
    const ok = await fetch(url + (opts.readyPath ?? '/health'))
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const startedInMs = performance.now() - started;
  return {
    url,
    process: child,
    startedInMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      killGroup(child);
      await exited;
    },
  };
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Runs a command to its end; its output, exit code and peak resident memory (GNU time's %M, in KB). */
export function runMeasured(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string; seconds: number; peakKb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB %M', command, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      // Only the tail: a statement as JSON is small, a CSV may not be.
      stdout = (stdout + c.toString()).slice(-20_000);
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const peak = /PEAK_KB (\d+)/.exec(stderr);
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        seconds: (performance.now() - started) / 1000,
        peakKb: peak ? Number(peak[1]) : Number.NaN,
      });
    });
  });
}
