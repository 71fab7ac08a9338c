// The hash a golden file's reasons refer to: SHA-256 of its bytes with CRLF read as LF, first 16 hex digits.
import { createHash } from "node:crypto";

/** Hash of a golden file's contents, as recorded in its .why file. */
export function goldenHash(bytes) {
  const text = Buffer.from(bytes).toString("utf8").replace(/\r\n/g, "\n");
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
