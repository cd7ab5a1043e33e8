/**
 * A smaller body goes plain. A Worker is billed for CPU, not for bytes sent, and measured in workerd
 * (bench/gzip-threshold.mjs) gzip never paid for itself: sending a body plain cost less CPU than gzipping it at
 * every size, from 0.3 ms more at 1 KiB to 32 ms more at 1 MiB. Only a body this large goes gzipped, where the
 * bytes on the wire start to count against the export's deadline.
 */
export const GZIP_MIN_BYTES = 1024 * 1024;

/**
 * Gzips through `CompressionStream`; undefined where the runtime has none (the body then goes plain).
 * Read from `globalThis` so that Next.js's edge check does not flag a global it cannot see is guarded.
 */
export async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const Compression = globalThis.CompressionStream;
  if (typeof Compression !== "function") return undefined;
  try {
    // Written into the stream directly: piping a Blob's stream through it took up to 1.8 times the CPU.
    const compression = new Compression("gzip");
    const writer = compression.writable.getWriter();
    const [, , compressed] = await Promise.all([
      writer.write(bytes),
      writer.close(),
      new Response(compression.readable).arrayBuffer(),
    ]);
    return new Uint8Array(compressed);
  } catch {
    return undefined;
  }
}
