/** OpenAI content parts (Chat Completions and Responses) as LlmCall parts. */
import type { Part } from "../../semconv/llm-call";
import { asArray, definedOnly, isObject, type JsonObject, partFromUrl, stringOrUndefined } from "../parts";

/** `content` of a message: a string, or an array of typed parts; `null` for none. */
export function contentParts(content: unknown): Part[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", content }];
  return asArray(content).flatMap((part) => (isObject(part) ? contentPart(part) : []));
}

function contentPart(part: JsonObject): Part[] {
  switch (part.type) {
    case "text":
    case "input_text":
    case "output_text":
      return typeof part.text === "string" ? [{ type: "text", content: part.text }] : [];
    case "refusal":
      return typeof part.refusal === "string" ? [{ type: "text", content: part.refusal }] : [];
    case "image_url":
      return imagePart(isObject(part.image_url) ? part.image_url.url : undefined, undefined);
    case "input_image":
      return imagePart(part.image_url, part.file_id);
    case "input_audio":
      return audioPart(isObject(part.input_audio) ? part.input_audio : part);
    case "file":
      return filePart(isObject(part.file) ? part.file : {});
    case "input_file":
      return filePart(part);
    default:
      return [];
  }
}

function imagePart(url: unknown, fileId: unknown): Part[] {
  if (typeof url === "string") return [partFromUrl(url, "image")];
  if (typeof fileId === "string") return [{ type: "file", modality: "image", file_id: fileId }];
  return [];
}

/** Base64 audio data, in `format` (`wav`, `mp3`, …). */
export function audioPart(audio: JsonObject): Part[] {
  if (typeof audio.data !== "string") return [];
  const format = stringOrUndefined(audio.format);
  return [
    definedOnly({
      type: "blob" as const,
      modality: "audio",
      mime_type: format && `audio/${format}`,
      content: audio.data,
    }),
  ];
}

/** Files are documents unless their type says otherwise. */
function filePart(file: JsonObject): Part[] {
  if (typeof file.file_data === "string") {
    const part = partFromUrl(file.file_data, "document");
    return [part.type === "uri" ? { type: "blob", modality: "document", content: file.file_data } : part];
  }
  if (typeof file.file_id === "string") return [{ type: "file", modality: "document", file_id: file.file_id }];
  if (typeof file.file_url === "string") return [{ type: "uri", modality: "document", uri: file.file_url }];
  return [];
}
