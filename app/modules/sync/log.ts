/** Where the sync modules write what they do (console by default; tests capture it). */
export interface SyncLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLog: SyncLog = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
