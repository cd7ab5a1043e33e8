/**
 * The ids of a Workers AI call: the binding keeps them on itself (`lastRequestId`, `aiGatewayLogId`), set by each
 * call as its response arrives, so a call's own are there when it settles only if no other call on the same
 * binding ran meanwhile. A call that overlapped another records none rather than risk another's.
 */
import { definedOnly } from "../../instrument/parts";

interface BindingIds {
  lastRequestId?: unknown;
  aiGatewayLogId?: unknown;
}

export interface RunIds {
  requestId?: string;
  gatewayLogId?: string;
}

/** The runs in flight on each binding. */
const running = /* @__PURE__ */ new WeakMap<object, Set<BindingRun>>();

/** One call of a binding, from its start to its end. */
export class BindingRun {
  private overlapped = false;

  constructor(private readonly binding: object) {
    let runs = running.get(binding);
    if (!runs) {
      runs = new Set();
      running.set(binding, runs);
    }
    for (const other of runs) other.overlapped = true;
    this.overlapped = runs.size > 0;
    runs.add(this);
  }

  /** Ends the run: the binding's ids, when they can only be this call's. */
  settle(): RunIds {
    running.get(this.binding)?.delete(this);
    if (this.overlapped) return {};
    const { lastRequestId, aiGatewayLogId } = this.binding as BindingIds;
    return definedOnly({ requestId: idOf(lastRequestId), gatewayLogId: idOf(aiGatewayLogId) });
  }
}

function idOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
