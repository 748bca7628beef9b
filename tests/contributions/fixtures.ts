/**
 * A small content folder for the contribution tests: the same files as
 * ContentFile[] (for the check), as a repository (for the fake GitHub) and
 * as a parsed snapshot (for proposalToFiles).
 */
import { parseContent } from "~/modules/validation";
import type { ContentFile } from "~/modules/validation/types";

export const TAGS_YML = `- id: orm
  label: ORM & QuerySets
  description: Building and evaluating queries.
- id: models
  label: Models & Fields
  description: Defining models and fields.
- id: http
  label: HTTP
  description: Requests, responses and middleware.
- id: architecture
  label: Architecture
  description: How a Django project is put together.
- id: signals
  label: Signals
  description: Model and request signals.
`;

/** Repository paths → text. */
export const REPO_FILES: Record<string, string> = {
  "README.md": "# Django Questions content\n",
  "content/LICENSE": "BSD 3-Clause licence text.\n",
  "content/tags.yml": TAGS_YML,
  "content/questions/what-is-middleware/question.md":
    '---\nnumber: 1\ntitle: "Middleware: what it is and when you need it"\ntags: [http, architecture]\nadded: 2026-11-25\n---\nWhat is middleware? Name some middleware classes Django provides.\n',
  "content/questions/what-is-middleware/answers/2026-11-26-jane-doe.md":
    "---\nauthor: Jane Doe\ngithub: janedoe\ndate: 2026-11-26\n---\nMiddleware wraps every request and response.\n",
  "content/questions/querysets-are-lazy/question.md":
    "---\nnumber: 2\ntitle: Why QuerySets are lazy\ntags: [orm]\nadded: 2026-11-25\n---\nWhat does it mean that QuerySets are lazy?\n",
};

const encoder = new TextEncoder();

export function contentFiles(files: Record<string, string> = REPO_FILES): ContentFile[] {
  return Object.entries(files)
    .filter(([path]) => path.startsWith("content/"))
    .map(([path, text]) => ({ path: path.slice("content/".length), bytes: encoder.encode(text) }));
}

export function snapshot(files: Record<string, string> = REPO_FILES) {
  const parsed = parseContent(contentFiles(files));
  const errors = parsed.findings.filter((f) => f.severity === "error");
  if (errors.length > 0) throw new Error(`fixture content has errors: ${JSON.stringify(errors)}`);
  return { questions: parsed.questions, tags: parsed.tags };
}

export const TEMPLATE = `{{summary}}

By {{contributor}} — status: {{statusUrl}}

{{files}}

{{note}}

<!-- django-questions:proposal {{proposalJson}} -->
`;
