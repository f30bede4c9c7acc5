/**
 * Paths as the file store compares and shows them: real (symlinks resolved, even for a
 * folder that does not exist yet), containment, and the relative form printed to people.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** Path as shown to people: relative to the working directory when inside it, else absolute; `/` separators. */
export function display(file: string): string {
  const absolute = path.resolve(file);
  const relative = path.relative(process.cwd(), absolute) || '.';
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`);
  return (outside ? absolute : relative).split(path.sep).join('/');
}

/**
 * The real path of `file`: symlinks resolved in its longest existing prefix, the rest
 * appended as given, so a folder that a run is about to create compares like one that exists.
 */
export function realTarget(file: string): string {
  const absolute = path.resolve(file);
  const missing: string[] = [];
  let existing = absolute;
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...missing.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      missing.push(path.basename(existing));
      existing = parent;
    }
  }
}

/** Whether `inner` is `outer` or lies below it (both absolute). */
export function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Relative path with `/` separators, as the file maps and manifests key their files. */
export function posixRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
