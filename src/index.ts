export type { AsyncLocalStorageClass, Compression, ModaLimits, ModaOptions, Protocol, SemconvFamily } from "./config";
export { DEFAULT_BASE_URL, ModaConfigError } from "./config";
export { flush } from "./flush";
export type { FetchHandler } from "./handler/vercel";
export { withModa } from "./handler/with-moda";
export { init } from "./init";
export { traceHeaders } from "./trace-headers";
export { modaTracer } from "./tracer";
