/**
 * Refreshes generator/sdk-names.json: the data interface name @azure/eventgrid gives each
 * system event type, read from its `SystemEventNameToEventData` declaration with the
 * TypeScript compiler API (not by hand), so generated names equal the SDK's, irregular
 * ones included. Run after upgrading the dev dependency: `npm run names:refresh`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The installed SDK's event type → data interface name, sorted by event type. */
export function sdkNames(): { source: string; names: Record<string, string> } {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@azure/eventgrid');
  const root = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
  const file = path.join(root, 'dist', 'esm', 'predicates.d.ts');
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: Record<string, string> = {};
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'SystemEventNameToEventData') return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.type || !ts.isStringLiteral(member.name)) continue;
      if (ts.isTypeReferenceNode(member.type) && ts.isIdentifier(member.type.typeName)) {
        names[member.name.text] = member.type.typeName.text;
      }
    }
  });
  if (Object.keys(names).length === 0) throw new Error(`no SystemEventNameToEventData members found in ${file}`);
  const sorted = Object.fromEntries(Object.entries(names).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { source: `@azure/eventgrid ${version}`, names: sorted };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const table = sdkNames();
  writeFileSync(new URL('../generator/sdk-names.json', import.meta.url), `${JSON.stringify(table, null, 2)}\n`);
  console.log(`${Object.keys(table.names).length} event types from ${table.source} → generator/sdk-names.json`);
}
