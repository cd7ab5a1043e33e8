import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, expect, it } from "vitest";
import { hasAsyncContext } from "../../src/context";
import { init } from "../../src/index";
import { aiSdkSuite } from "../../test/ai-sdk.cases";
import { aiSdk7Suite } from "../../test/ai-sdk-7.cases";
import { workflowSuite } from "../../test/workflow.cases";

init({ asyncLocalStorage: AsyncLocalStorage });
afterAll(() => init({}));

it("runs the suites below with an AsyncLocalStorage", () => {
  expect(hasAsyncContext()).toBe(true);
});

workflowSuite();
aiSdkSuite();
aiSdk7Suite();
