/**
 * The OpenAI SDK majors every OpenAI test runs against: v6, the newest that supports Node 20 (the `openai`
 * devDependency), v7, the newest (its npm alias; it asks for Node 22 but runs here, and a Worker has no Node
 * engine to ask for), and v4 through its npm alias. All are typed as v6 so one test body serves them; where
 * their surfaces differ, tests check `major`.
 */
import OpenAIV6 from "openai";
import OpenAIV4 from "openai-v4";
import OpenAIV7 from "openai-v7";

export type OpenAIClass = typeof OpenAIV6;

export const OPENAI_SDKS: readonly (readonly [name: string, OpenAI: OpenAIClass, major: 4 | 6 | 7])[] = [
  ["openai 7.x", OpenAIV7 as unknown as OpenAIClass, 7],
  ["openai 6.x", OpenAIV6, 6],
  ["openai 4.x", OpenAIV4 as unknown as OpenAIClass, 4],
];
