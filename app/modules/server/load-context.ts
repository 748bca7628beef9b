/**
 * What every loader and action receives as `context` (Remix's load context),
 * filled by the app's HTTP handler (`createServerHandler`'s `getLoadContext`,
 * wired in server.mjs and scripts/dev.mjs): the process's services, and the
 * client's address. Routes hand `context.services` to the modules.
 */
import type { Services } from "./services.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    services: Services;
    /** The client's address as the socket sees it (`TRUST_PROXY` decides whether X-Forwarded-For counts). */
    clientIp?: string;
    /** The request's id (`X-Request-Id`), for the log lines about it. */
    requestId?: string;
  }
}

export {};
