/**
 * Validates HTTP requests (and the fake's own responses) against GitHub's
 * published OpenAPI description, trimmed to the operations the fake models
 * (see scripts/trim-openapi.ts and ./openapi.json).
 *
 * OpenAPI 3.0 nuances handled here: `nullable`, `discriminator` (ignored; the
 * `oneOf` alternatives are checked instead), non-standard `format`s (GitHub's
 * `repo.nwo`, `timestamp`, … are accepted as-is), `$ref`s into `#/components/…`,
 * multi-segment path parameters (`x-multi-segment`: `{ref}`, `{path}`, `{basehead}`).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AjvModule, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

// CJS/ESM interop: both packages export their main function as `module.exports`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as typeof AjvModule;
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const COMPONENTS_ID = "https://fake-github.invalid/openapi.json";
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonObject;
  "x-multi-segment"?: boolean;
}

export interface Operation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/repos/{owner}/{repo}/pulls`. */
  template: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses: Record<string, JsonObject>;
  regex: RegExp;
  pathParamNames: string[];
}

export interface MatchedOperation {
  operationId: string;
  method: string;
  template: string;
  /** Decoded path parameters (`%2F` → `/`). */
  params: Record<string, string>;
}

export interface RequestInput {
  method: string;
  /** URL path without query string, as sent (percent-encoding allowed). */
  path: string;
  query?: URLSearchParams | Record<string, string | string[] | undefined>;
  headers?: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; `undefined` when the request had no body. */
  body?: unknown;
}

export interface RequestValidation {
  operation?: MatchedOperation;
  /** Query parameters, coerced to the types the spec declares (integers, booleans). */
  query: Record<string, unknown>;
  violations: string[];
  /** True when no operation matched the method + path (GitHub answers 404). */
  unknownRoute: boolean;
  /** True when a path parameter had the wrong type (GitHub answers 404). */
  badPathParam: boolean;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * OpenAPI 3.0 schema → JSON Schema that Ajv understands.
 * `external` rewrites `#/components/…` refs so that they point into the shared components document.
 */
export function toJsonSchema(node: Json, external: boolean): Json {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, external));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "discriminator" || key === "example" || key === "nullable" || key.startsWith("x-")) continue;
    if (key === "examples" && !Array.isArray(value)) continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = external && value.startsWith("#/") ? `${COMPONENTS_ID}${value}` : value;
      continue;
    }
    if (key === "properties" && isObject(value)) {
      // Property names are data, not keywords: convert each value, keep every name.
      const props: JsonObject = {};
      for (const [name, schema] of Object.entries(value)) props[name] = toJsonSchema(schema, external);
      out.properties = props;
      continue;
    }
    out[key] = toJsonSchema(value, external);
  }
  if (node.nullable === true) {
    if (typeof out.type === "string") {
      out.type = [out.type, "null"];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

function collectFormats(node: Json, into: Map<string, string>): void {
  if (Array.isArray(node)) return node.forEach((n) => collectFormats(n, into));
  if (!isObject(node)) return;
  if (typeof node.format === "string") into.set(node.format, typeof node.type === "string" ? node.type : "string");
  for (const value of Object.values(node)) collectFormats(value, into);
}

function pointerEscape(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function formatAjvErrors(operationId: string, where: string, errors: ErrorObject[] | null | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    let pointer = error.instancePath;
    let message = error.message ?? error.keyword;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === "required" && typeof params.missingProperty === "string") {
      pointer = `${pointer}/${pointerEscape(params.missingProperty)}`;
    } else if (error.keyword === "additionalProperties" && typeof params.additionalProperty === "string") {
      pointer = `${pointer}/${pointerEscape(params.additionalProperty)}`;
      message = `must NOT have additional properties (not allowed: '${params.additionalProperty}')`;
    } else if (error.keyword === "enum" && Array.isArray(params.allowedValues)) {
      message = `${message}: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    const line = `${operationId} ${where}${pointer || "/"}: ${message}`;
    if (!seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

function firstJsonSchema(content: Record<string, { schema?: JsonObject }> | undefined): JsonObject | undefined {
  if (!content) return undefined;
  const json = content["application/json"] ?? Object.entries(content).find(([type]) => /json/.test(type))?.[1];
  return json?.schema;
}

function queryToRecord(query: RequestInput["query"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!query) return out;
  if (query instanceof URLSearchParams) {
    for (const key of new Set(query.keys())) {
      const all = query.getAll(key);
      out[key] = all.length === 1 ? all[0]! : all;
    }
    return out;
  }
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = value;
  return out;
}

export class OpenApiValidator {
  readonly spec: JsonObject;
  readonly operations: Operation[] = [];
  readonly trimmedFrom: string;
  private readonly ajv: InstanceType<typeof Ajv>;
  private readonly coercingAjv: InstanceType<typeof Ajv>;
  private readonly cache = new Map<string, ValidateFunction | null>();
  private readonly byId = new Map<string, Operation>();

  constructor(spec: JsonObject) {
    this.spec = spec;
    const info = isObject(spec.info) ? spec.info : {};
    this.trimmedFrom = typeof info["x-trimmed-from"] === "string" ? info["x-trimmed-from"] : "unknown";
    const components = toJsonSchema(isObject(spec.components) ? spec.components : {}, false) as JsonObject;
    const formats = new Map<string, string>();
    collectFormats(spec, formats);
    const make = (coerceTypes: boolean) => {
      const ajv = new Ajv({ strict: false, allErrors: true, inlineRefs: false, code: { optimize: false }, validateSchema: false, coerceTypes, logger: false });
      addFormats(ajv);
      for (const [format, type] of formats) {
        if (!ajv.formats[format]) {
          ajv.addFormat(format, type === "integer" || type === "number" ? { type: "number", validate: () => true } : true);
        }
      }
      ajv.addSchema({ $id: COMPONENTS_ID, components }, COMPONENTS_ID);
      return ajv;
    };
    this.ajv = make(false);
    this.coercingAjv = make(true);

    const paths = isObject(spec.paths) ? spec.paths : {};
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      const shared = Array.isArray(item.parameters) ? item.parameters : [];
      for (const method of METHODS) {
        const op = item[method];
        if (!isObject(op) || typeof op.operationId !== "string") continue;
        const parameters = [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])].map((p) =>
          this.resolve(p),
        ) as unknown as Parameter[];
        const pathParamNames: string[] = [];
        const pattern = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([^}]+)\}/g, (_m, name: string) => {
          pathParamNames.push(name);
          const def = parameters.find((p) => p.in === "path" && p.name === name);
          return def?.["x-multi-segment"] ? "(.*?)" : "([^/]+)";
        });
        const operation: Operation = {
          operationId: op.operationId,
          method: method.toUpperCase(),
          template,
          parameters,
          requestBody: isObject(op.requestBody) ? (this.resolve(op.requestBody) as Operation["requestBody"]) : undefined,
          responses: isObject(op.responses) ? (op.responses as Record<string, JsonObject>) : {},
          regex: new RegExp(`^${pattern}/?$`),
          pathParamNames,
        };
        this.operations.push(operation);
        this.byId.set(operation.operationId, operation);
      }
    }
    // Literal templates before templated ones, longer literal prefixes first.
    this.operations.sort((a, b) => literalWeight(b.template) - literalWeight(a.template));
  }

  static fromFile(path: string): OpenApiValidator {
    return new OpenApiValidator(JSON.parse(readFileSync(path, "utf8")) as JsonObject);
  }

  operation(operationId: string): Operation | undefined {
    return this.byId.get(operationId);
  }

  /** Resolves a `$ref` (one level at a time, repeatedly) into `#/components/…`. */
  resolve(node: Json): Json {
    let current = node;
    for (let depth = 0; depth < 10 && isObject(current) && typeof current.$ref === "string"; depth++) {
      const ref = current.$ref;
      if (!ref.startsWith("#/")) throw new Error(`Unsupported $ref ${ref}`);
      let target: Json = this.spec;
      for (const raw of ref.slice(2).split("/")) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        target = isObject(target) ? (target[key] as Json) : null;
      }
      if (target === undefined || target === null) throw new Error(`Dangling $ref ${ref}`);
      current = target;
    }
    return current;
  }

  /** Finds the operation for a method + raw path; path parameters are percent-decoded. */
  match(method: string, rawPath: string): MatchedOperation | undefined {
    const upper = method.toUpperCase();
    for (const op of this.operations) {
      if (op.method !== upper) continue;
      const m = op.regex.exec(rawPath);
      if (!m) continue;
      const params: Record<string, string> = {};
      let ok = true;
      op.pathParamNames.forEach((name, i) => {
        const raw = m[i + 1] ?? "";
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          ok = false;
        }
      });
      if (!ok) continue;
      return { operationId: op.operationId, method: op.method, template: op.template, params };
    }
    return undefined;
  }

  private compile(key: string, schema: Json | undefined, coerce = false): ValidateFunction | null {
    if (this.cache.has(key)) return this.cache.get(key)!;
    const fn = schema === undefined ? null : (coerce ? this.coercingAjv : this.ajv).compile(toJsonSchema(schema, true) as object);
    this.cache.set(key, fn);
    return fn;
  }

  validateRequest(input: RequestInput): RequestValidation {
    const matched = this.match(input.method, input.path);
    const result: RequestValidation = { operation: matched, query: {}, violations: [], unknownRoute: false, badPathParam: false };
    if (!matched) {
      const sameTemplate = this.operations.some((op) => op.regex.test(input.path));
      result.unknownRoute = true;
      result.violations.push(
        sameTemplate
          ? `${input.method.toUpperCase()} ${input.path}: method not allowed; the spec has no ${input.method.toUpperCase()} operation for this path`
          : `${input.method.toUpperCase()} ${input.path}: no operation in the spec matches this method and path`,
      );
      return result;
    }
    const op = this.byId.get(matched.operationId)!;
    const id = op.operationId;

    // Path parameters.
    const pathParams = op.parameters.filter((p) => p.in === "path");
    if (pathParams.length > 0) {
      const validate = this.compile(`${id} path`, paramsSchema(pathParams), true);
      const data: Record<string, unknown> = { ...matched.params };
      if (validate && !validate(data)) {
        result.badPathParam = true;
        result.violations.push(...formatAjvErrors(id, "path", validate.errors));
      }
    }

    // Query parameters (unknown ones are ignored, as GitHub does).
    const queryParams = op.parameters.filter((p) => p.in === "query");
    const rawQuery = queryToRecord(input.query);
    const query: Record<string, unknown> = {};
    for (const p of queryParams) if (rawQuery[p.name] !== undefined) query[p.name] = rawQuery[p.name];
    if (queryParams.length > 0) {
      const validate = this.compile(`${id} query`, paramsSchema(queryParams), true);
      if (validate && !validate(query)) result.violations.push(...formatAjvErrors(id, "query", validate.errors));
    }
    result.query = query;

    // Header parameters (rare in these operations).
    const headerParams = op.parameters.filter((p) => p.in === "header");
    if (headerParams.length > 0) {
      const headers: Record<string, unknown> = {};
      for (const p of headerParams) {
        const v = input.headers?.[p.name.toLowerCase()];
        if (v !== undefined) headers[p.name] = Array.isArray(v) ? v[0] : v;
      }
      const validate = this.compile(`${id} header`, paramsSchema(headerParams), true);
      if (validate && !validate(headers)) result.violations.push(...formatAjvErrors(id, "header", validate.errors));
    }

    // Body.
    const bodySchema = firstJsonSchema(op.requestBody?.content);
    if (input.body === undefined) {
      if (op.requestBody?.required) result.violations.push(`${id} body/: a request body is required`);
    } else if (!bodySchema) {
      if (!op.requestBody && !(input.body === "" || (isObject(input.body) && Object.keys(input.body).length === 0))) {
        // GitHub ignores bodies on operations that take none; only flag them as a hint.
        result.violations.push(`${id} body/: this operation takes no request body`);
      }
    } else {
      const validate = this.compile(`${id} body`, bodySchema);
      if (validate && !validate(input.body)) result.violations.push(...formatAjvErrors(id, "body", validate.errors));
    }
    return result;
  }

  /** Checks a response body against the operation's schema for that status. Returns violations. */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const op = this.byId.get(operationId);
    if (!op) return [`${operationId}: unknown operation`];
    const declared = op.responses[String(status)] ?? op.responses.default;
    if (!declared) {
      return status >= 200 && status < 300
        ? [`${operationId}: response status ${status} is not documented (documented: ${Object.keys(op.responses).join(", ")})`]
        : [];
    }
    const response = this.resolve(declared) as JsonObject;
    const schema = firstJsonSchema(response.content as Record<string, { schema?: JsonObject }> | undefined);
    if (!schema) return [];
    const validate = this.compile(`${operationId} response ${status}`, schema);
    if (!validate || validate(body)) return [];
    return formatAjvErrors(operationId, `response ${status}`, validate.errors);
  }

  /** Checks a webhook payload against `x-webhooks[name]` (e.g. `pull-request-opened`, `push`). */
  validateWebhook(name: string, payload: unknown): string[] {
    const hooks = isObject(this.spec["x-webhooks"]) ? this.spec["x-webhooks"] : {};
    const hook = hooks[name];
    if (!isObject(hook)) return [`webhook ${name}: not described in the fixture`];
    const op = Object.values(hook).find(isObject) as JsonObject | undefined;
    const body = op && isObject(op.requestBody) ? (this.resolve(op.requestBody) as JsonObject) : undefined;
    const schema = firstJsonSchema(body?.content as Record<string, { schema?: JsonObject }> | undefined);
    if (!schema) return [];
    const validate = this.compile(`webhook ${name}`, schema);
    if (!validate || validate(payload)) return [];
    return formatAjvErrors(`webhook ${name}`, "payload", validate.errors);
  }
}

function literalWeight(template: string): number {
  // More literal characters → more specific.
  return template.replace(/\{[^}]+\}/g, "").length;
}

function paramsSchema(params: Parameter[]): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const p of params) {
    properties[p.name] = p.schema ?? {};
    if (p.required) required.push(p.name);
  }
  return { type: "object", properties, required };
}

export const OPENAPI_FIXTURE = fileURLToPath(new URL("./openapi.json", import.meta.url));

let shared: OpenApiValidator | undefined;

/** The validator for the committed fixture, built once per process. */
export function loadValidator(): OpenApiValidator {
  shared ??= OpenApiValidator.fromFile(OPENAPI_FIXTURE);
  return shared;
}
