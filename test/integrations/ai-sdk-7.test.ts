import { aiSdk7Suite } from "./ai-sdk-7.cases";

// No AsyncLocalStorage in these three projects; runtime-tests/node/workflow-als.test.ts runs the suite with one.
aiSdk7Suite();
