/** SHA-256, the one hash eventgen writes down: manifests, the package's content hash, cut file names, cache keys. */
import { createHash } from 'node:crypto';

/** The SHA-256 of `text` (of its parts one after the other, when given parts), in lowercase hex. */
export function sha256(text: string | Iterable<string>): string {
  const hash = createHash('sha256');
  for (const part of typeof text === 'string' ? [text] : text) hash.update(part);
  return hash.digest('hex');
}
