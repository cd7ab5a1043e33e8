/**
 * The OpenAI SDK majors every OpenAI test runs against: the newest, and v4 through its npm alias. Both are
 * typed as the newest so one test body serves both; where their surfaces differ, tests check `major`.
 */
import OpenAIV6 from "openai";
import OpenAIV4 from "openai-v4";

export type OpenAIClass = typeof OpenAIV6;

export const OPENAI_SDKS: readonly (readonly [name: string, OpenAI: OpenAIClass, major: 4 | 6])[] = [
  ["openai 6.x", OpenAIV6, 6],
  ["openai 4.x", OpenAIV4 as unknown as OpenAIClass, 4],
];
