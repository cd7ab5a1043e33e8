export { init } from "./config/init";
export type {
  AsyncLocalStorageClass,
  Compression,
  ModaLimits,
  ModaOptions,
  Protocol,
  SemconvFamily,
} from "./config/options";
export { DEFAULT_BASE_URL, ModaConfigError } from "./config/options";
export type { PromptReference } from "./core/context";
export { modaTracer } from "./core/tracer";
export {
  setAttributes,
  withAssociationProperties,
  withConversation,
  withPrompt,
  withUser,
} from "./entities/attributes";
export type { EntityMethodDecorator, EntityOptions, EntityWrapper } from "./entities/workflow";
export { agent, task, tool, workflow } from "./entities/workflow";
export { flush } from "./export/flush";
export type { FetchHandler } from "./handler/fetch-call";
export type { HonoContextLike, ModaMiddleware } from "./handler/hono";
export { moda } from "./handler/hono";
export type { ServerAction } from "./handler/next";
export { withModaAction } from "./handler/next";
export { withModa } from "./handler/with-moda";
export type { ModaTelemetryOptions, ModaTelemetrySettings, TelemetryIntegrationClass } from "./integrations/ai-sdk";
export { modaTelemetry } from "./integrations/ai-sdk";
export { traceHeaders } from "./integrations/trace-headers";
export { wrapAnthropic } from "./providers/anthropic";
export { wrapBedrock } from "./providers/bedrock";
export { wrapCohere } from "./providers/cohere";
export { wrapGoogle } from "./providers/google";
export { wrapMistral } from "./providers/mistral";
export { wrapOllama } from "./providers/ollama";
export { wrapOpenAI } from "./providers/openai";
export { wrapWorkersAI } from "./providers/workers-ai";
export { wrap } from "./providers/wrap";
