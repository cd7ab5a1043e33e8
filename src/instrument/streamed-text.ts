/**
 * Text a stream spells out piece by piece, as a list: its first string holds the runs of pieces joined so far.
 * Built with `+=`, the text would keep every piece alive as an object of its own until the flush reads it, and
 * each garbage collection during the stream would move them all; joined in runs, a long stream holds a few dozen
 * strings, not thousands.
 */
export type StreamedText = string[];

const RUN_LENGTH = 256;

export function streamedText(): StreamedText {
  return [""];
}

export function addPiece(text: StreamedText, piece: string): void {
  text.push(piece);
  if (text.length > RUN_LENGTH) text[0] += text.splice(1).join("");
}
