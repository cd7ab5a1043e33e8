import { withoutAsyncLocalStorage } from "../support/without-async-context";
import { workflowSuite } from "./workflow.cases";

// Without AsyncLocalStorage: the certain-parent rules. runtime-tests/node/workflow-als.test.ts runs the same suite
// with one.
withoutAsyncLocalStorage();
workflowSuite();
