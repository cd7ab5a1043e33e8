import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { DESCRIPTOR_PATH, descriptorText } from "../../scripts/otlp-descriptor";

it("the committed OTLP descriptor is the one the .proto files make (npx tsx scripts/otlp-descriptor.ts)", () => {
  expect(readFileSync(DESCRIPTOR_PATH, "utf8")).toBe(descriptorText());
});
