import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import { prepareDatabase, startServer } from '../server.js';

/**
 * `protego serve`: one API process, or `config.processes` of them sharing the port through Node's
 * cluster. The primary migrates and loads the demo once, then forks the processes that serve (each with
 * the scheduler and outbox worker unless `worker` is off: they share the work through the database), and
 * forks again any that dies. Calls `ready` once every process listens.
 */
export async function serve(
  config: Config,
  opts: { demo: boolean; worker: boolean },
  ready: (demoLoaded: boolean) => void,
): Promise<void> {
  if (cluster.isWorker) {
    const { app } = await startServer(config, { ...opts, prepared: true });
    onStop(() => app.close());
    return;
  }
  if (config.processes === 1) {
    const { app, demoLoaded } = await startServer(config, opts);
    ready(demoLoaded);
    onStop(() => app.close());
    return;
  }
  const demoLoaded = await prepareDatabase(config, opts);
  // Every process must accept the admin token the banner shows, made up here when none is set.
  const env = { PROTEGO_ADMIN_TOKEN: config.adminToken };
  let stopping = false;
  let listening = 0;
  const fork = (): Worker => cluster.fork(env);
  cluster.on('listening', () => {
    listening += 1;
    if (listening === config.processes) ready(demoLoaded);
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`API process ${worker.process.pid} ended (${signal ?? code}); starting another in 1 s`);
    setTimeout(() => stopping || fork(), 1000);
  });
  for (let i = 0; i < config.processes; i++) fork();
  onStop(async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  });
}

/** On SIGINT or SIGTERM: `stop`, then leave. */
function onStop(stop: () => Promise<unknown>): void {
  const once = async () => {
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', once);
  process.once('SIGTERM', once);
}
