export { instrumentExportedHandler } from "./exported-handler";
export { instrumentWorkersClass, isClass } from "./workers-class";
