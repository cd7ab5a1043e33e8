export function jsonWorker(measure: (options: unknown) => unknown): { fetch(request: Request): Promise<Response> };

export function askWorker(baseUrl: string, options: unknown): Promise<unknown>;
