/**
 * POST /webhooks/github — GitHub's webhook (push → content sync, pull request
 * events → proposal status). All decisions are in app/modules/sync/webhook.server.ts.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleGitHubWebhook } from "~/modules/sync/webhook.server";

function methodNotAllowed(): Response {
  return new Response("Method Not Allowed: GitHub webhooks are sent with POST.", {
    status: 405,
    headers: { Allow: "POST", "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed();
  const body = await request.text();
  const { services } = context;
  const { env, forge } = services;
  return handleGitHubWebhook(
    { body, headers: request.headers },
    {
      secret: env.GITHUB_WEBHOOK_SECRET,
      data: services.data,
      deliveries: services.deliveries,
      sync: services.sync,
      repository: forge.repository,
    },
  );
}

export function loader() {
  return methodNotAllowed();
}
