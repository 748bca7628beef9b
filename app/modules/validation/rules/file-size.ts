import { formatBytes, type Rule } from "./rule";

export const fileSize: Rule = {
  id: "file-size",
  severity: "error",
  summary: "Every file must be at most 20,000 bytes (configurable with maxFileBytes).",
  field: { question: "body", answer: "body" },
  check(ctx) {
    const max = ctx.options.maxFileBytes;
    return ctx.files
      .filter((f) => f.bytes.length > max)
      .map((f) => ({
        path: f.path,
        line: 1,
        column: 1,
        message: `the file is ${formatBytes(f.bytes.length)} bytes; the limit is ${formatBytes(max)} bytes — shorten it`,
      }));
  },
};
