/** Small helpers shared by the fake GitHub's own tests (and usable by forge tests). */
import { Octokit, RequestError } from "octokit";

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A real Octokit pointed at the fake, without the retry/throttling plugins' waits. */
export function octokitFor(baseUrl: string, auth?: string, extra: Record<string, unknown> = {}): Octokit {
  return new Octokit({
    ...(auth ? { auth } : {}),
    baseUrl,
    throttle: { enabled: false },
    retry: { enabled: false },
    log: quiet,
    ...extra,
  });
}

export const SEED_FILES: Record<string, string> = {
  "content/tags.yml": "- id: orm\n  label: ORM\n  description: Models and queries\n",
  "content/questions/what-is-wsgi/question.md": "---\nnumber: 1\ntitle: What is WSGI?\ntags: [deployment]\nadded: 2024-01-01\n---\n\nExplain WSGI.\n",
  "README.md": "# Django Questions content\n",
};

/** The RequestError a call fails with; throws when it succeeds or fails otherwise. */
export async function requestFailure(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}
