import { withoutAsyncLocalStorage } from "../support/without-async-context";
import { aiSdkSuite } from "./ai-sdk.cases";

// Without AsyncLocalStorage; runtime-tests/node/workflow-als.test.ts runs the suite with one.
withoutAsyncLocalStorage();
aiSdkSuite();
