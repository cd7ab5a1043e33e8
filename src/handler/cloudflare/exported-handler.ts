import type { HandlerConfig } from "../../config/handler-config";
import { HANDLER_MEMBERS, type TracedMember, traceMemberCall } from "./members";

type Member = (this: unknown, ...args: unknown[]) => unknown;

function traceMember(member: Member, traced: TracedMember, config: HandlerConfig): Member {
  return function tracedMember(this: unknown, ...args: unknown[]) {
    const bindings = { config, env: args[1], ctx: args[2] };
    return traceMemberCall(traced, "", args, bindings, (given) => member.apply(this, given));
  };
}

/**
 * Wraps a Workers `ExportedHandler`: `fetch`, `scheduled`, `queue` and `email` are traced, every other
 * member is passed through untouched. The returned object keeps the handler's prototype.
 */
export function instrumentExportedHandler<H extends object>(handler: H, config: HandlerConfig): H {
  const instrumented = Object.create(Object.getPrototypeOf(handler)) as H;
  for (const key of Reflect.ownKeys(handler)) {
    const descriptor = Object.getOwnPropertyDescriptor(handler, key) as PropertyDescriptor;
    const traced = typeof key === "string" && Object.hasOwn(HANDLER_MEMBERS, key) ? HANDLER_MEMBERS[key] : undefined;
    if (traced && typeof descriptor.value === "function") {
      descriptor.value = traceMember(descriptor.value as Member, traced, config);
    }
    Object.defineProperty(instrumented, key, descriptor);
  }
  return instrumented;
}
