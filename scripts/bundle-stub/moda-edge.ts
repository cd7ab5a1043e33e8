// Stands in for moda-edge when measuring what the library adds to the Worker: same exports, no tracing.
export const withModa = <H>(handler: H): H => handler;
export const wrap = <T>(client: T): T => client;
export const wrapOpenAI = wrap;
export const wrapAnthropic = wrap;
