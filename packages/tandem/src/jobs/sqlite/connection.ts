import { requirePackages } from "../../optional/require-package.js";

/**
 * The one seam between the SQLite job store and the library under it: `node:sqlite` where Node
 * ships it unflagged (22.13 and newer, no native compile for the app), better-sqlite3 on Node 20.
 * The store uses only what both have in common: prepared statements that run, get and all (rows
 * as objects, integers as numbers), exec for pragmas and DDL, and BEGIN IMMEDIATE transactions.
 */
export type SqlValue = string | number | null;

export interface Statement {
  run(...params: SqlValue[]): { changes: number };
  get(...params: SqlValue[]): unknown;
  all(...params: SqlValue[]): unknown[];
}

export interface Connection {
  /** Which library answers, for tests and diagnostics: the store never branches on it. */
  readonly library: "node:sqlite" | "better-sqlite3";
  prepare(sql: string): Statement;
  exec(sql: string): void;
  /** Runs `fn` in BEGIN IMMEDIATE (a savepoint when nested); rolls back if it throws. */
  immediate<T>(fn: () => T): T;
  close(): void;
}

export type OpenConnection = (file: string) => Connection;

// The part of node:sqlite used here; @types/node for Node 20 does not declare the module.
interface NodeSqlite {
  DatabaseSync: new (
    file: string,
  ) => {
    prepare(sql: string): Statement;
    exec(sql: string): void;
    close(): void;
  };
}

interface BetterSqlite {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  close(): void;
  transaction<T>(fn: () => T): { immediate(): T };
}

/**
 * Node 22 prints "ExperimentalWarning: SQLite is an experimental feature" when node:sqlite first
 * loads. Node has no run-time switch for one warning (`--disable-warning` is a start-up flag and
 * takes a whole warning type), and its default printer is a `process` listener. The warning is
 * emitted synchronously through `process.emitWarning` while the module loads, so for the length
 * of that one synchronous `getBuiltinModule` call (no other code can run in between) that warning,
 * and only that one, is dropped; the original function is back before the call returns.
 */
function loadNodeSqlite(): NodeSqlite | undefined {
  if (typeof process.getBuiltinModule !== "function") return undefined;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    const message = typeof warning === "string" ? warning : warning.message;
    if (type === "ExperimentalWarning" && message.startsWith("SQLite is an experimental feature")) return;
    (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // Undefined (or a throw) before 22.13, where node:sqlite is missing or behind --experimental-sqlite.
    return process.getBuiltinModule("node:sqlite") as NodeSqlite | undefined;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emitWarning;
  }
}

class NodeConnection implements Connection {
  readonly library = "node:sqlite";
  #db: InstanceType<NodeSqlite["DatabaseSync"]>;
  #depth = 0;

  constructor(db: InstanceType<NodeSqlite["DatabaseSync"]>) {
    this.#db = db;
  }

  prepare(sql: string): Statement {
    return this.#db.prepare(sql);
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  // node:sqlite has no transaction helper: this does what better-sqlite3's does, savepoints included.
  immediate<T>(fn: () => T): T {
    const savepoint = this.#depth > 0 ? `tandem_${this.#depth}` : null;
    this.#db.exec(savepoint ? `SAVEPOINT ${savepoint}` : "BEGIN IMMEDIATE");
    this.#depth++;
    try {
      const result = fn();
      this.#db.exec(savepoint ? `RELEASE ${savepoint}` : "COMMIT");
      return result;
    } catch (error) {
      // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR): nothing left to undo then.
      try {
        this.#db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : "ROLLBACK");
      } catch {}
      throw error;
    } finally {
      this.#depth--;
    }
  }

  close(): void {
    this.#db.close();
  }
}

class BetterConnection implements Connection {
  readonly library = "better-sqlite3";
  #db: BetterSqlite;

  constructor(db: BetterSqlite) {
    this.#db = db;
  }

  prepare(sql: string): Statement {
    return this.#db.prepare(sql);
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  immediate<T>(fn: () => T): T {
    return this.#db.transaction(fn).immediate();
  }

  close(): void {
    this.#db.close();
  }
}

let opener: Promise<OpenConnection> | undefined;

/**
 * Resolves which library opens SQLite files, once per process. better-sqlite3 is only imported
 * where node:sqlite is missing, so on Node 22.13+ an app needs neither it nor its native build.
 */
export function loadSqlite(): Promise<OpenConnection> {
  opener ??= (async (): Promise<OpenConnection> => {
    const sqlite = loadNodeSqlite();
    if (sqlite) return (file) => new NodeConnection(new sqlite.DatabaseSync(file));
    requirePackages(
      ["better-sqlite3"],
      `Jobs (stored in SQLite when REDIS_URL is not set) on Node ${process.versions.node} (Node 22.13 and newer use the built-in node:sqlite instead)`,
    );
    const { default: Database } = (await import("better-sqlite3")) as unknown as { default: new (file: string) => BetterSqlite };
    return (file) => new BetterConnection(new Database(file));
  })();
  // A missing package must not be cached: installing it and trying again works without a restart.
  opener.catch(() => {
    opener = undefined;
  });
  return opener;
}
