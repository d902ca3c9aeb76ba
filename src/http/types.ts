import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/client.js';
import type { Deps } from '../deps.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Exact path → method → handler. Paths are fixed strings (`/hooks/hr`), matched exactly. */
export type Routes = Record<string, Partial<Record<string, RouteHandler>>>;

/** What the HTTP side needs beyond the use-case deps: the database handle, for /readyz. */
export interface ServerDeps extends Deps {
  database: Pick<Database, 'ping'>;
}

/** A feature's routes, built from the deps (and empty when its configuration is absent). */
export type RouteGroup = (deps: ServerDeps) => Routes;
