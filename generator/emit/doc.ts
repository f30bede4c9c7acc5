/**
 * Prettier's document printer (prettier 3's `printDocToString` and `fits`), for the commands the
 * declarations of `data.ts` need: text, concatenation, group (with an id, broken or not), indent,
 * align, line, softline, hardline, a literal line at the current indentation, ifBreak and indentIfBreak. emit/declarations.ts builds the
 * documents prettier's TypeScript printer builds for the same code, and this lays them out as prettier
 * does (`printWidth` 110, two spaces), so `data.ts` comes out as prettier prints it without loading
 * prettier. Texts are measured in UTF-16 code units: callers keep to ASCII where a width decides a break.
 */

export type Doc = string | Doc[] | Group | Indent | Align | Line | IfBreak | IndentIfBreak | BreakParent;

interface Group {
  readonly kind: 'group';
  readonly contents: Doc;
  break: boolean;
  readonly id?: symbol;
}
interface Indent {
  readonly kind: 'indent';
  readonly contents: Doc;
}
interface Align {
  readonly kind: 'align';
  readonly n: number;
  readonly contents: Doc;
}
interface Line {
  readonly kind: 'line';
  readonly soft: boolean;
  readonly hard: boolean;
  /** prettier's `markAsRoot(literalline)`: a line break at the same indentation that keeps trailing spaces. */
  readonly literal?: boolean;
}
interface IfBreak {
  readonly kind: 'if-break';
  readonly breakContents: Doc;
  readonly flatContents: Doc;
  readonly groupId?: symbol;
}
interface IndentIfBreak {
  readonly kind: 'indent-if-break';
  readonly contents: Doc;
  readonly groupId: symbol;
}
interface BreakParent {
  readonly kind: 'break-parent';
}

export const group = (contents: Doc, options: { shouldBreak?: boolean; id?: symbol } = {}): Group => ({
  kind: 'group',
  contents,
  break: options.shouldBreak === true,
  ...(options.id ? { id: options.id } : {}),
});
export const indent = (contents: Doc): Indent => ({ kind: 'indent', contents });
export const align = (n: number, contents: Doc): Align => ({ kind: 'align', n, contents });
export const line: Line = { kind: 'line', soft: false, hard: false };
export const softline: Line = { kind: 'line', soft: true, hard: false };
const breakParent: BreakParent = { kind: 'break-parent' };
export const hardline: Doc = [{ kind: 'line', soft: false, hard: true }, breakParent];
export const rootLiteralline: Doc = [{ kind: 'line', soft: false, hard: true, literal: true }, breakParent];
export const ifBreak = (breakContents: Doc, flatContents: Doc = '', groupId?: symbol): IfBreak => ({
  kind: 'if-break',
  breakContents,
  flatContents,
  ...(groupId ? { groupId } : {}),
});
export const indentIfBreak = (contents: Doc, groupId: symbol): IndentIfBreak => ({ kind: 'indent-if-break', contents, groupId });

export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  for (const [i, doc] of docs.entries()) {
    if (i > 0) out.push(separator);
    out.push(doc);
  }
  return out;
}

type Mode = 'break' | 'flat';
interface Indentation {
  readonly value: string;
}
interface Command {
  readonly ind: Indentation;
  readonly mode: Mode;
  readonly doc: Doc;
}

/** Marks every group that holds a hard line, or a broken group, as broken (prettier's propagateBreaks). */
function propagateBreaks(doc: Doc): void {
  const visit = (d: Doc, groups: Group[]): void => {
    if (typeof d === 'string') return;
    if (Array.isArray(d)) {
      for (const part of d) visit(part, groups);
      return;
    }
    switch (d.kind) {
      case 'break-parent':
        breakLast(groups);
        return;
      case 'group':
        groups.push(d);
        visit(d.contents, groups);
        groups.pop();
        if (d.break) breakLast(groups);
        return;
      case 'if-break':
        visit(d.breakContents, groups);
        visit(d.flatContents, groups);
        return;
      case 'indent':
      case 'align':
      case 'indent-if-break':
        visit(d.contents, groups);
        return;
      case 'line':
        return;
    }
  };
  visit(doc, []);
}

function breakLast(groups: Group[]): void {
  const last = groups[groups.length - 1];
  if (last) last.break = true;
}

/** Removes trailing spaces and tabs from what is printed; returns how many. */
function trim(out: string[]): number {
  let count = 0;
  while (out.length > 0) {
    const last = out[out.length - 1] as string;
    const trimmed = last.replace(/[\t ]+$/, '');
    count += last.length - trimmed.length;
    if (trimmed.length > 0) {
      out[out.length - 1] = trimmed;
      break;
    }
    out.pop();
  }
  return count;
}

function fits(
  next: Command,
  rest: readonly Command[],
  initialWidth: number,
  groupModes: ReadonlyMap<symbol, Mode>,
  mustBeFlat: boolean,
): boolean {
  let width = initialWidth;
  let restIdx = rest.length;
  const cmds: { mode: Mode; doc: Doc }[] = [next];
  const out: string[] = [];
  while (width >= 0) {
    if (cmds.length === 0) {
      if (restIdx === 0) return true;
      cmds.push(rest[--restIdx] as Command);
      continue;
    }
    const { mode, doc } = cmds.pop() as { mode: Mode; doc: Doc };
    if (typeof doc === 'string') {
      out.push(doc);
      width -= doc.length;
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) cmds.push({ mode, doc: doc[i] as Doc });
      continue;
    }
    switch (doc.kind) {
      case 'indent':
      case 'align':
      case 'indent-if-break':
        cmds.push({ mode, doc: doc.contents });
        break;
      case 'group': {
        if (mustBeFlat && doc.break) return false;
        cmds.push({ mode: doc.break ? 'break' : mode, doc: doc.contents });
        break;
      }
      case 'if-break': {
        const groupMode = doc.groupId ? (groupModes.get(doc.groupId) ?? 'flat') : mode;
        const contents = groupMode === 'break' ? doc.breakContents : doc.flatContents;
        if (contents) cmds.push({ mode, doc: contents });
        break;
      }
      case 'line':
        if (mode === 'break' || doc.hard) return true;
        if (!doc.soft) {
          out.push(' ');
          width--;
        }
        break;
      case 'break-parent':
        break;
    }
  }
  return false;
}

/** Lays `doc` out at `printWidth` columns, indenting by two spaces (prettier's printDocToString). */
export function printDoc(doc: Doc, printWidth: number): string {
  propagateBreaks(doc);
  const groupModes = new Map<symbol, Mode>();
  let pos = 0;
  const root: Indentation = { value: '' };
  const cmds: Command[] = [{ ind: root, mode: 'break', doc }];
  const out: string[] = [];
  let shouldRemeasure = false;
  while (cmds.length > 0) {
    const { ind, mode, doc } = cmds.pop() as Command;
    if (typeof doc === 'string') {
      out.push(doc);
      if (cmds.length > 0) pos += doc.length;
      continue;
    }
    if (Array.isArray(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) cmds.push({ ind, mode, doc: doc[i] as Doc });
      continue;
    }
    switch (doc.kind) {
      case 'indent':
        cmds.push({ ind: { value: `${ind.value}  ` }, mode, doc: doc.contents });
        break;
      case 'align':
        cmds.push({ ind: { value: ind.value + ' '.repeat(doc.n) }, mode, doc: doc.contents });
        break;
      case 'group': {
        let chosen: Mode;
        if (mode === 'flat' && !shouldRemeasure) {
          chosen = doc.break ? 'break' : 'flat';
        } else {
          shouldRemeasure = false;
          const next: Command = { ind, mode: 'flat', doc: doc.contents };
          chosen = !doc.break && fits(next, cmds, printWidth - pos, groupModes, false) ? 'flat' : 'break';
        }
        cmds.push({ ind, mode: chosen, doc: doc.contents });
        if (doc.id) groupModes.set(doc.id, chosen);
        break;
      }
      case 'if-break':
      case 'indent-if-break': {
        const groupMode = doc.groupId ? groupModes.get(doc.groupId) : mode;
        if (groupMode === 'break') {
          const contents = doc.kind === 'if-break' ? doc.breakContents : indent(doc.contents);
          if (contents) cmds.push({ ind, mode, doc: contents });
        }
        if (groupMode === 'flat') {
          const contents = doc.kind === 'if-break' ? doc.flatContents : doc.contents;
          if (contents) cmds.push({ ind, mode, doc: contents });
        }
        break;
      }
      case 'line':
        if (mode === 'flat' && !doc.hard) {
          if (!doc.soft) {
            out.push(' ');
            pos += 1;
          }
          break;
        }
        if (mode === 'flat') shouldRemeasure = true;
        if (!doc.literal) pos -= trim(out);
        out.push(`\n${ind.value}`);
        pos = ind.value.length;
        break;
      case 'break-parent':
        break;
    }
  }
  return out.join('');
}
