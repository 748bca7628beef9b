/**
 * Polls `check` every 100 ms until it gives a value (anything but undefined or false) and returns it;
 * throws "timed out waiting for <what>" after `ms`.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
