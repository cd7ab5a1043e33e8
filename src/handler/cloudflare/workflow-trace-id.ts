const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** FNV-1a over the UTF-16 code units, 64 bits, from a given offset. */
function fnv1a(text: string, offset: bigint): bigint {
  let hash = offset;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash;
}

/**
 * The trace of a Workflow instance, the same for every run of it (the engine runs `run` again after each sleep or
 * restart): the instance id itself when it is a UUID, else a hash of it.
 */
export function workflowTraceId(instanceId: string): string {
  const hex = instanceId.replace(/-/g, "").toLowerCase();
  if (/^[\da-f]{32}$/.test(hex) && !/^0+$/.test(hex)) return hex;
  const high = fnv1a(instanceId, FNV_OFFSET);
  const low = fnv1a(instanceId, FNV_OFFSET ^ high) || 1n;
  return high.toString(16).padStart(16, "0") + low.toString(16).padStart(16, "0");
}
