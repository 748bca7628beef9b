/**
 * The server's log: JSON lines on stdout through `pino` — one object per line
 * with `level` (a name), `time` (ISO 8601), `pid`, `hostname`, `msg`, and the
 * fields of the event (a request's `reqId`, `method`, `url`, `status`, `ms`).
 * LOG_LEVEL sets the least severe level written (default `info`).
 *
 * Modules with their own small log interfaces (the outbox, the sync, auth)
 * get an adapter from `componentLog`; they default to the console in tests.
 */
import pino from "pino";
import { LOG_LEVELS } from "~/modules/config/env.server";

export type Logger = pino.Logger;

function levelFromEnv(): string {
  const level = process.env.LOG_LEVEL?.trim();
  // An invalid value is refused at start by the environment check (config/env.server.ts).
  return level && (LOG_LEVELS as readonly string[]).includes(level) ? level : "info";
}

export const logger: Logger = pino({
  level: levelFromEnv(),
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

type Data = Record<string, unknown> | string | undefined;

export interface ComponentLog {
  info(message: string, data?: Data): void;
  warn(message: string, data?: Data): void;
  error(message: string, data?: Data): void;
}

/** A `{ info, warn, error }(message, data?)` log writing to the server's log with `component` set. */
export function componentLog(component: string, parent: Logger = logger): ComponentLog {
  const child = parent.child({ component });
  const write = (level: "info" | "warn" | "error") => (message: string, data?: Data) => {
    if (data === undefined || data === "") child[level](message);
    else if (typeof data === "string") child[level]({ detail: data }, message);
    else child[level](data, message);
  };
  return { info: write("info"), warn: write("warn"), error: write("error") };
}
