/**
 * The function tool the Cohere, Mistral, Ollama and AI SDK suites declare, and the `gen_ai.tool.definitions` entry
 * it makes.
 */

export const WEATHER_TOOL = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
  },
};

export const WEATHER_TOOL_DEFINITION = {
  type: "function",
  name: "get_weather",
  description: "The weather in a city",
  parameters: WEATHER_TOOL.function.parameters,
};
