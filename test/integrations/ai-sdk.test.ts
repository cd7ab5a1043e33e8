import { aiSdkSuite } from "./ai-sdk.cases";

// No AsyncLocalStorage in these three projects; runtime-tests/node/workflow-als.test.ts runs the suite with one.
aiSdkSuite();
