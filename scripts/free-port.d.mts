export function ephemeralPortStart(): number;
export function freePort(): Promise<number>;
