import type { Eta } from 'eta';
import type { App } from '../../http/context.js';

/** What every console page file is handed. */
export interface ConsoleContext {
  app: App;
  views: Eta;
  /** Sign-in attempts per address and window (core/console/sessions.ts has the default). */
  signInAttempts?: { limit: number; windowMs: number };
}
