import { AsyncLocalStorage } from "node:async_hooks";
import { afterAll, expect, it } from "vitest";
import { hasAsyncContext } from "../../src/core/context";
import { init } from "../../src/index";
import { workflowSuite } from "../../test/entities/workflow.cases";
import { aiSdkSuite } from "../../test/integrations/ai-sdk.cases";
import { aiSdk7Suite } from "../../test/integrations/ai-sdk-7.cases";

init({ asyncLocalStorage: AsyncLocalStorage });
afterAll(() => init({}));

it("runs the suites below with an AsyncLocalStorage", () => {
  expect(hasAsyncContext()).toBe(true);
});

workflowSuite();
aiSdkSuite();
aiSdk7Suite();
