export type { ModaTelemetryOptions, ModaTelemetrySettings, TelemetryIntegrationClass } from "./ai-sdk";
export { modaTelemetry } from "./ai-sdk";
export { setAttributes, withAssociationProperties, withConversation, withUser } from "./attributes";
export type { AsyncLocalStorageClass, Compression, ModaLimits, ModaOptions, Protocol, SemconvFamily } from "./config";
export { DEFAULT_BASE_URL, ModaConfigError } from "./config";
export { flush } from "./flush";
export type { FetchHandler } from "./handler/vercel";
export { withModa } from "./handler/with-moda";
export { init } from "./init";
export { traceHeaders } from "./trace-headers";
export { modaTracer } from "./tracer";
export type { EntityMethodDecorator, EntityOptions, EntityWrapper } from "./workflow";
export { agent, task, tool, workflow } from "./workflow";
export { wrap } from "./wrap/wrap";
export {
  wrapAnthropic,
  wrapBedrock,
  wrapCohere,
  wrapGoogle,
  wrapMistral,
  wrapOllama,
  wrapOpenAI,
} from "./wrap/wrappers";
