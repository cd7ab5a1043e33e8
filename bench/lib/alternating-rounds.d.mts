export function roundsRun(rounds: number): number;
