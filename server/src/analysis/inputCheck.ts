// Decides, before parsing, whether a file is something Faultline should read at all: binary
// blobs named `.c` and files above the size cap are reported and skipped, never parsed.

export type InputVerdict = { ok: true } | { ok: false; reason: string };

export function checkBuffer(buf: Uint8Array, maxFileSize: number): InputVerdict {
  if (buf.length > maxFileSize) {
    return { ok: false, reason: `file is ${buf.length} bytes, above faultline.maxFileSize (${maxFileSize}); not analysed` };
  }
  const probe = Math.min(buf.length, 64 * 1024);
  for (let i = 0; i < probe; i++) {
    if (buf[i] === 0) return { ok: false, reason: 'file contains NUL bytes (binary); not analysed' };
  }
  return { ok: true };
}

export function checkText(text: string, maxFileSize: number): InputVerdict {
  // UTF-16 length is a lower bound on the UTF-8 size; good enough for a cap.
  if (text.length > maxFileSize) {
    return { ok: false, reason: `document is ${text.length} characters, above faultline.maxFileSize (${maxFileSize}); not analysed` };
  }
  const probe = Math.min(text.length, 64 * 1024);
  if (text.slice(0, probe).includes('\u0000')) return { ok: false, reason: 'document contains NUL characters (binary); not analysed' };
  return { ok: true };
}
