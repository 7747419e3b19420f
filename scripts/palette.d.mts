export type Vars = Record<string, string>;
export function readVars(block: string): Vars;
export function themes(css: string): { light: Vars; dark: Vars };
export const VISIONS: string[];
export function deltaE(hexA: string, hexB: string, vision?: string): number;
export function closestPair(
  vars: Vars,
  names: string[],
): { a: string; b: string; vision: string; dE: number };
