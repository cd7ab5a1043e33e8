import { safely } from "../core/safe";
import { isObservableApiPromise, observeApiPromise } from "../instrument/api-promise";
import { jsonLengthUpTo } from "../policy/bounded-json";
import { toJsonData } from "./entity-content";

/**
 * When an entity's call is over: at once for a plain value, when a promise settles, when a generator finishes
 * (or is returned from, or throws). The caller gets the value, promise or generator it would have got.
 */

/** One call of an entity, from its span's start to its end. */
export interface EntityRun {
  /** Runs `fn` with this entity's span and values current. */
  within<T>(fn: () => T): T;
  /** Ends the span; `output` is recorded when the spec asks for it (`NO_OUTPUT` for none). */
  succeed(output: unknown): void;
  fail(error: unknown): void;
  /** Whether yielded values are worth collecting as the output. */
  readonly recordsOutput: boolean;
  readonly maxOutputLength: number;
  readonly captureBinary: boolean;
}

export const NO_OUTPUT = Symbol("no output");

/**
 * Ends `run` when `result` is complete, and returns what the caller gets instead of `result` (often itself).
 * Looking at the result runs the application's code (a Proxy's traps, a `then` getter): where that throws, the
 * span ends at once without an output, and the caller gets `result` itself.
 */
export function settle<R>(result: R, run: EntityRun): R {
  const shape = shapeOf(result);
  const traced =
    shape.kind === "opaque" ? UNTRACED : safely("entity result", () => follow(result, shape, run), UNTRACED);
  if (traced !== UNTRACED) return traced as R;
  run.succeed(NO_OUTPUT);
  return result;
}

const UNTRACED = Symbol("untraced");

type Shape =
  | { readonly kind: "value" | "generator" | "asyncGenerator" | "opaque" }
  | { readonly kind: "thenable"; readonly thenMethod: (...args: unknown[]) => unknown };

const VALUE: Shape = { kind: "value" };
const OPAQUE: Shape = { kind: "opaque" };
const GENERATOR: Shape = { kind: "generator" };
const ASYNC_GENERATOR: Shape = { kind: "asyncGenerator" };

/** What `result` is, read once; `opaque` where reading it throws. */
function shapeOf(result: unknown): Shape {
  if (result === null || (typeof result !== "object" && typeof result !== "function")) return VALUE;
  try {
    const tag = typeof result === "object" ? Object.prototype.toString.call(result) : "";
    if (tag === "[object Generator]") return GENERATOR;
    if (tag === "[object AsyncGenerator]") return ASYNC_GENERATOR;
    const then = (result as { then?: unknown }).then;
    return typeof then === "function"
      ? { kind: "thenable", thenMethod: then as (...args: unknown[]) => unknown }
      : VALUE;
  } catch {
    return OPAQUE;
  }
}

/** What the caller gets for `result`, once `run` is set to end with it; `UNTRACED` to end it now without an output. */
function follow(result: unknown, shape: Shape, run: EntityRun): unknown {
  switch (shape.kind) {
    case "generator":
      return traceGenerator(result as Generator, run);
    case "asyncGenerator":
      return traceAsyncGenerator(result as AsyncGenerator, run);
    case "thenable":
      return followThenable(result, shape.thenMethod, run);
    case "value":
      run.succeed(result);
      return result;
    default:
      return UNTRACED;
  }
}

function followThenable(result: unknown, then: (...args: unknown[]) => unknown, run: EntityRun): unknown {
  if (isIntrinsicThen(then)) {
    return Reflect.apply(then, result, [
      (value: unknown) => {
        run.succeed(value);
        return value;
      },
      (error: unknown) => {
        run.fail(error);
        throw error;
      },
    ]);
  }
  if (isObservableApiPromise(result)) {
    // An SDK's APIPromise stays the caller's own (withResponse, asResponse); the call is done when it answers.
    observeApiPromise(result, {
      responded() {
        run.succeed(NO_OUTPUT);
      },
      failed(error) {
        run.fail(error);
      },
      parsed() {},
    });
    return result;
  }
  // Any other thenable may be lazy (a query builder runs on then()): calling then() could run it twice.
  return UNTRACED;
}

let intrinsicThen: unknown;

/**
 * The engine's own then(): then() of a promise that has it has no side effect. Compared with the then() of an
 * async function's promise too, because in some runtimes the global `Promise` is another realm's.
 */
function isIntrinsicThen(then: unknown): boolean {
  intrinsicThen ??= Object.getPrototypeOf((async () => undefined)()).then;
  return then === intrinsicThen || then === Promise.prototype.then;
}

/** Collects yielded values as the output of a generator entity, up to the attribute size cap. */
class YieldedValues {
  private readonly values: unknown[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly run: EntityRun) {}

  add(value: unknown): void {
    if (!this.run.recordsOutput) return;
    if (this.size > this.run.maxOutputLength) {
      this.dropped++;
      return;
    }
    const data = safely("entity output", () => toJsonData(value, this.run.captureBinary), null) ?? null;
    // Measured no further than the cap: a large yielded value is not serialized just to learn that it is large.
    this.size += Math.min(jsonLengthUpTo(data, this.run.maxOutputLength), this.run.maxOutputLength + 1);
    this.values.push(data);
  }

  /** The yielded values, and a visible mark for those left out past the cap. */
  output(): unknown {
    return this.dropped > 0 ? [...this.values, `…[${this.dropped} more yielded values]`] : this.values;
  }
}

/** Records one step's result: a yielded value, or the end of the generator. */
function stepRecorder(run: EntityRun): (result: IteratorResult<unknown>) => IteratorResult<unknown> {
  const yielded = new YieldedValues(run);
  return (result) => {
    if (result.done) run.succeed(yielded.output());
    else yielded.add(result.value);
    return result;
  };
}

type StepResult = IteratorResult<unknown>;

/** A generator that runs each step of `inner` with the entity current, and ends the span when it is done. */
function traceGenerator(inner: Generator, run: EntityRun): Generator {
  const record = stepRecorder(run);
  return generatorLike(inner, (resume: () => StepResult): StepResult => {
    let result: StepResult;
    try {
      result = run.within(resume);
    } catch (error) {
      run.fail(error);
      throw error;
    }
    return record(result);
  });
}

function traceAsyncGenerator(inner: AsyncGenerator, run: EntityRun): AsyncGenerator {
  const record = stepRecorder(run);
  return generatorLike(inner, async (resume: () => Promise<StepResult>): Promise<StepResult> => {
    let result: StepResult;
    try {
      result = await run.within(resume);
    } catch (error) {
      run.fail(error);
      throw error;
    }
    return record(result);
  });
}

interface Steppable<R> {
  next(...value: [] | [unknown]): R;
  return(value: unknown): R;
  throw(error: unknown): R;
}

/**
 * An object with the generator's own prototype (so `Symbol.iterator`, `Symbol.toStringTag` and iterator helpers
 * are the engine's) whose next, return and throw each run through `step`.
 */
function generatorLike<G extends Steppable<R>, R>(inner: G, step: (resume: () => R) => R): G {
  const steps: Steppable<R> = {
    next(...value) {
      return step(() => inner.next(...value));
    },
    return(value) {
      return step(() => inner.return(value));
    },
    throw(error) {
      return step(() => inner.throw(error));
    },
  };
  return Object.assign(Object.create(Object.getPrototypeOf(inner)) as G, steps);
}
