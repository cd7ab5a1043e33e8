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

/** Ends `run` when `result` is complete, and returns what the caller gets instead of `result` (often itself). */
export function settle<R>(result: R, run: EntityRun): R {
  if (isTagged(result, "Generator")) return traceGenerator(result as Generator, run) as R;
  if (isTagged(result, "AsyncGenerator")) return traceAsyncGenerator(result as AsyncGenerator, run) as R;
  if (isNativePromise(result)) {
    return result.then(
      (value) => {
        run.succeed(value);
        return value;
      },
      (error: unknown) => {
        run.fail(error);
        throw error;
      },
    ) as R;
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
  run.succeed(isThenable(result) ? NO_OUTPUT : result);
  return result;
}

function isTagged(value: unknown, tag: string): boolean {
  return typeof value === "object" && value !== null && Object.prototype.toString.call(value) === `[object ${tag}]`;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

let intrinsicThen: unknown;

/**
 * A promise whose then() is the engine's own: then() on it has no side effect. Compared with the then() of
 * an async function's promise too, because in some runtimes the global `Promise` is another realm's.
 */
function isNativePromise(value: unknown): value is Promise<unknown> {
  if (!isThenable(value)) return false;
  intrinsicThen ??= Object.getPrototypeOf((async () => undefined)()).then;
  return value.then === intrinsicThen || value.then === Promise.prototype.then;
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
