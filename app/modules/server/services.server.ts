/**
 * Long-running work started once by the production server next to the HTTP
 * handler: the content watcher (and, as they land, the contribution outbox
 * and the content sync). Returns a function that stops them.
 */
import { getStore } from "~/modules/content/index.server";

export async function startBackgroundServices(): Promise<() => Promise<void>> {
  const store = await getStore();
  return async () => {
    await store.close();
  };
}
