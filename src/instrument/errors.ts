import type { LlmError } from "../semconv/llm-call";

const GENERIC_NAMES = new Set(["Error", "Object", ""]);

/**
 * Names an error the way `error.type` wants it: low-cardinality. The error's own `name` when it says more than
 * `Error` (`AbortError`, `TypeError`), else its class name (`RateLimitError`), else the HTTP status code.
 */
export function describeSdkError(error: unknown): LlmError {
  const fields = (typeof error === "object" && error !== null ? error : {}) as {
    name?: unknown;
    message?: unknown;
    status?: unknown;
    statusCode?: unknown;
    status_code?: unknown;
  };
  // Stainless SDKs name it `status`, Fern and Speakeasy SDKs `statusCode`, ollama `status_code`.
  const statusCode = [fields.status, fields.statusCode, fields.status_code].find(
    (value): value is number => typeof value === "number",
  );
  const message = typeof fields.message === "string" ? fields.message : String(error);
  return { type: errorType(error, statusCode), statusCode, message };
}

function errorType(error: unknown, statusCode: number | undefined): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === "string" && !GENERIC_NAMES.has(name)) return name;
  const className = (error as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  // A minifier renames classes to a letter or two: a status code says more then.
  if (typeof className === "string" && !GENERIC_NAMES.has(className) && className.length > 2) return className;
  if (statusCode !== undefined) return String(statusCode);
  return typeof className === "string" && className !== "" ? className : "_OTHER";
}
