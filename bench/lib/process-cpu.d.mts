export function processCpuUs(pid: number): number | undefined;
