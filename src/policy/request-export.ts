import type { RequestScope } from "../core/request-scope";

/**
 * Why a request's own spans stay home, or `undefined` when they are exported. By default only a request that did
 * something worth tracing goes out: an LLM call, a workflow/task/agent/tool, a span of other OpenTelemetry code;
 * one that only answered HTTP costs no export (`exportAllRequests` sends it too). Then its sampling, decided now
 * that it has ended: a request with a span in error is always exported, a healthy one as its draw said.
 */
export function whyLeftOut(scope: RequestScope): string | undefined {
  const { config } = scope;
  if (!scope.holdsWork && !config.exportAllRequests) {
    return "no LLM call, workflow/task/agent/tool or OpenTelemetry span in it (exportAllRequests: true sends every request)";
  }
  if (!scope.failed && !scope.drawnIn) return `sampled out (sampleRate ${config.sampleRate}) and no span in error`;
  return undefined;
}
