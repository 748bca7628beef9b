import { PassThrough, Transform } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { getStore, pageVersion as versionOfPage } from "~/modules/content/index.server";
import { closeDocumentLast } from "~/modules/page/document";
import { pageShipsScripts } from "~/modules/page/scripts";
import { logClientRouteError } from "~/modules/server/bad-input.server";
import { CSP_NONCE_PLACEHOLDER } from "~/modules/security/csp";
import { healthFacts } from "~/modules/server/health.server";
import { logger } from "~/modules/server/log.server";
import { getServices } from "~/modules/server/services.server";

export const streamTimeout = 5_000;

/**
 * The production server (server.mjs) reads these from the build's entry
 * module: the content version keys its page cache, and `ready` loads the
 * content before the first request is served.
 */
let loaded: Awaited<ReturnType<typeof getStore>> | undefined;
export async function ready(): Promise<void> {
  loaded = await getStore();
}
/** Synchronous: the page cache looks it up on every request (after `ready()`). */
export function contentVersion(): string {
  return loaded?.version ?? "loading";
}

/** The version of what one page shows (the page cache's key): an edit keeps unrelated pages warm. */
export function pageVersion(url: string): string {
  return loaded ? versionOfPage(loaded.content, url) : "loading";
}

/** Buffers the rendered document and sends it with its closing tags last (see page/document.ts). */
function documentInOrder(): Transform {
  const chunks: Buffer[] = [];
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      done();
    },
    flush(done) {
      done(null, closeDocumentLast(Buffer.concat(chunks).toString("utf8")));
    },
  });
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  // A page that ships no scripts (app/modules/page/scripts.ts) gets no
  // hydration data either: nothing would read it.
  const handles = remixContext.staticHandlerContext.matches.map((m) => remixContext.routeModules[m.route.id]?.handle);
  if (!pageShipsScripts(handles) && remixContext.serverHandoffStream) {
    void remixContext.serverHandoffStream.cancel().catch(() => undefined);
    remixContext.serverHandoffStream = undefined;
  }
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={CSP_NONCE_PLACEHOLDER} />,
      {
        nonce: CSP_NONCE_PLACEHOLDER,
        // The whole document at once: pages are small, and the server's page
        // cache and ETags need the complete body anyway.
        onAllReady() {
          shellRendered = true;
          const body = documentInOrder();
          const stream = createReadableStreamFromReadable(body);
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error({ err: error, url: new URL(request.url).pathname }, "rendering failed");
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}

export { createServerHandler } from "~/modules/server/http.server";
export { getLoadContext, startBackgroundServices } from "~/modules/server/services.server";
export { logger } from "~/modules/server/log.server";

/** The facts /healthz/ready reports (app/modules/server/health.server.ts). */
export async function health() {
  return healthFacts(await getServices());
}

/**
 * Errors of loaders, actions and rendering: a client's mistake (a 4xx Remix made) logs one line; anything
 * else one line with the request id and the stack. Aborted requests (the client went away) are not errors.
 */
export function handleError(error: unknown, { request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (logClientRouteError(error, request)) return; // the client's mistake: one line
  const requestId = (context as { requestId?: string } | undefined)?.requestId;
  logger.error({ reqId: requestId, method: request.method, url: new URL(request.url).pathname, err: error }, "request failed");
}
