/**
 * No text from a doc reaches generated code unquoted: the quoting helpers are total, and a
 * doc written to break out of a comment or a string (event types, descriptions, property names
 * and table text holding `*\/`, quotes, newlines, U+2028) gives a package that compiles and runs
 * nothing it should not.
 */
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { blockComment, htmlText, lineComment, markdownCell, stringLiteral } from '../../generator/emit/quote.ts';
import { egEvent, fence, linkNodeModules, page, removeDir, run, tempDir, tsc, writeFiles } from '../helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

describe('quoting helpers', () => {
  it('a string literal reads back as the same string, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(new Function(`return ${stringLiteral(text)};`)()).toBe(text);
      }),
    );
  });

  it('a block comment cannot be closed from inside, a line comment cannot be left', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(blockComment(text)).not.toContain('*/');
        expect(lineComment(text)).not.toMatch(/[\r\n\u2028\u2029]/);
        expect(new Function(`/* ${blockComment(text)} */ return 1;`)()).toBe(1);
        expect(new Function(`// ${lineComment(text)}\nreturn 1;`)()).toBe(1);
      }),
    );
  });

  it('HTML text opens no tag, closes no attribute, starts no reference of its own, and reads back as the same text', () => {
    const references: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const quoted = htmlText(text);
        expect(quoted).not.toMatch(/[<>"']/);
        expect(quoted).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
        expect(quoted.replace(/&(amp|lt|gt|quot|#39);/g, (r) => references[r] as string)).toBe(text);
      }),
    );
  });

  it('a markdown cell holds no pipe, line break or tag', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(markdownCell(text)).not.toMatch(/(^|[^\\])\||[\r\n\u2028\u2029]|</);
      }),
    );
  });
});

describe('a doc written to inject code', () => {
  const evil = '*/ globalThis.eventgenInjected = 1; /*';
  const docs = [
    {
      path: 'evil.md',
      text: page(
        `| Event type | Description |\n| --- | --- |\n| Contoso.Evil.Happened | ${evil} \u2028 globalThis.eventgenInjected = 2 |\n\n` +
          `| Property | Type | Description |\n| --- | --- | --- |\n| \`note\` | string | ${evil} Valid values are "a'b", "\`*/x" |\n| \`n\` | integer | line\u2028break |\n\n` +
          fence([
            egEvent('Contoso.Evil.Happened', { note: "it's", n: 1, [evil]: 'key', "a'b\u2028": 2 }),
            egEvent('Contoso.Evil.Happened*/globalThis.eventgenInjected=3;/*', { x: 1 }),
            egEvent('Contoso.Evil.\u2028globalThis.eventgenInjected=4', { x: 1 }),
          ]),
      ),
    },
  ];

  it('skips event types that are not dotted names, and gives a package that compiles and runs nothing', async () => {
    const result = await run(docs);
    expect(result.stats.errors).toBe(0);
    expect(result.diagnostics.filter((d) => d.code === 'W_EVENT_TYPE_INVALID')).toHaveLength(2);
    // The payload appears only inside comments and string literals.
    for (const [file, text] of result.generated) {
      if (!file.endsWith('.ts')) continue;
      for (const line of text.split(/\n/).filter((l) => l.includes('eventgenInjected'))) {
        const inComment = /^\s*\*/.test(line) && !line.includes('*/');
        const inString = /(['"])[^'"]*eventgenInjected[^'"]*\1/.test(line);
        expect(inComment || inString, `${file}: ${line}`).toBe(true);
      }
    }
    const root = tempDir('eventgen-evil-');
    dirs.push(root);
    const dir = path.join(root, 'generated');
    writeFiles(dir, result.generated);
    // The application's handlers folder beside the package, compiled too: event types reach its code.
    writeFiles(path.join(root, 'handlers'), result.skeletons);
    linkNodeModules(dir);
    linkNodeModules(root);
    tsc(['-p', 'tsconfig.json', '--noEmit'], dir);
    tsc(
      [
        ...['--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022'],
        ...['--types', 'node', '--skipLibCheck', 'index.ts', 'server.ts'],
      ],
      path.join(root, 'handlers'),
    );
    const pkg = await import(path.join(dir, 'src/index.ts'));
    expect(pkg.EVENT_TYPES).toEqual(['Contoso.Evil.Happened']);
    expect((globalThis as { eventgenInjected?: number }).eventgenInjected).toBeUndefined();
    expect(result.generated.get('src/data.ts')).toContain(`"a'b" | '\`*/x' | (string & {});`);
  });
});
