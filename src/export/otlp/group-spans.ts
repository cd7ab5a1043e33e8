import type { ExportableSpan } from "./exportable-span";

export interface ScopeGroup {
  readonly scope: ExportableSpan["instrumentationScope"];
  readonly spans: ExportableSpan[];
}

export interface ResourceGroup {
  readonly resource: ExportableSpan["resource"];
  readonly scopes: ScopeGroup[];
}

/** The spans as OTLP nests them: one ResourceSpans per resource object, one ScopeSpans per scope name and version. */
export function groupByResourceAndScope(spans: readonly ExportableSpan[]): ResourceGroup[] {
  const resources = new Map<ExportableSpan["resource"], Map<string, ScopeGroup>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (!scopes) {
      scopes = new Map();
      resources.set(span.resource, scopes);
    }
    const scope = span.instrumentationScope;
    const key = `${scope.name}@${scope.version ?? ""}`;
    let group = scopes.get(key);
    if (!group) {
      group = { scope, spans: [] };
      scopes.set(key, group);
    }
    group.spans.push(span);
  }
  return Array.from(resources, ([resource, scopes]) => ({ resource, scopes: [...scopes.values()] }));
}
