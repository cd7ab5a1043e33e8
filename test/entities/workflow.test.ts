import { workflowSuite } from "./workflow.cases";

// No AsyncLocalStorage in these three projects (node, edge-runtime, workerd without flags): the certain-parent rules.
// runtime-tests/node/workflow-als.test.ts runs the same suite with one.
workflowSuite();
