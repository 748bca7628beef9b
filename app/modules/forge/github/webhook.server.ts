/**
 * GitHub's webhook signature (`X-Hub-Signature-256`: the HMAC-SHA256 of the
 * body with the webhook secret), checked in constant time by Octokit's
 * webhooks-methods. The webhook itself is handled by app/modules/sync.
 */
import { verify } from "@octokit/webhooks-methods";

export function verifyWebhookSignature(secret: string, body: string, signature: string): Promise<boolean> {
  return verify(secret, body, signature);
}
