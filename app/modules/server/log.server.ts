/**
 * The server's log: JSON lines on stdout through `pino` — one object per line
 * with `level` (a name), `time` (ISO 8601), `pid`, `hostname`, `msg`, and the
 * fields of the event (a request's `reqId`, `method`, `url`, `status`, `ms`).
 * LOG_LEVEL sets the least severe level written (default `info`); on a terminal
 * the lines are written as text instead (LOG_FORMAT: `auto`, `json` or `text`).
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

const BASE_FIELDS = new Set(["level", "time", "pid", "hostname", "msg", "component"]);

/**
 * One JSON log line as a person reads it in a terminal: `12:00:01 info  [auth] message  key=value …`
 * (the error's stack, if any, on the following lines).
 */
export function textLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof o.time === "string" ? o.time.slice(11, 19) : "";
  const err = o.err as { stack?: string } | undefined;
  const fields = Object.entries(o)
    .filter(([k]) => !BASE_FIELDS.has(k) && k !== "err")
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  const component = o.component ? `[${String(o.component)}] ` : "";
  const line = `${time} ${String(o.level ?? "").padEnd(5)} ${component}${String(o.msg ?? "")}${fields.length ? `  ${fields.join(" ")}` : ""}`;
  return `${line}${err?.stack ? `\n${err.stack}` : ""}\n`;
}

/** JSON lines, except on a terminal (`npm start` by hand), where LOG_FORMAT=auto writes them as text. */
function destination(): pino.DestinationStream | undefined {
  const format = process.env.LOG_FORMAT?.trim() || "auto";
  if (format === "json" || (format === "auto" && !process.stdout.isTTY)) return undefined;
  return { write: (line: string) => void process.stdout.write(textLine(line)) };
}

const stream = destination();
const options: pino.LoggerOptions = {
  level: levelFromEnv(),
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
};

export const logger: Logger = stream ? pino(options, stream) : pino(options);

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
