import { withoutAsyncLocalStorage } from "../support/without-async-context";
import { aiSdk7Suite } from "./ai-sdk-7.cases";

// Without AsyncLocalStorage; runtime-tests/node/workflow-als.test.ts runs the suite with one.
withoutAsyncLocalStorage();
aiSdk7Suite();
