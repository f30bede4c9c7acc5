/** The application's handlers folder: where it is, how it imports the package, what a run writes there. */
import { describe, expect, it } from 'vitest';
import {
  defaultHandlersDir,
  isValidPackageImport,
  moduleSpecifier,
  packageImportFrom,
  planHandlers,
} from '../../generator/emit/handlers.ts';
import { run, shippedDocs } from '../helpers.ts';

describe('where the handlers are and how they import the package', () => {
  it.each([
    ['beside the package by default', defaultHandlersDir('/app/generated'), '/app/handlers'],
    ['the relative path from the handlers to the package', packageImportFrom('/app/handlers', '/app/generated'), '../generated'],
    ['a package inside the handlers folder', packageImportFrom('/app/handlers', '/app/handlers/pkg'), './pkg'],
    ['sources for a relative import', moduleSpecifier('../generated', 'router'), '../generated/src/router.js'],
    ['a subpath export for a package name', moduleSpecifier('@contoso/events', 'node-http'), '@contoso/events/node-http'],
  ])('%s', (_, got, want) => {
    expect(got).toBe(want);
  });

  it.each([
    ['../generated', true],
    ['eventgen-events', true],
    ['@contoso/events', true],
    ["../x'; process.exit(1); '", true], // quoted where it is printed: still only a path
    ['Not A Package', false],
    ['https://example.com/x', false],
  ])('%s is a usable import: %s', (specifier, want) => {
    expect(isValidPackageImport(specifier)).toBe(want);
  });
});

describe('generate() and the handlers folder', async () => {
  const result = await run(shippedDocs());

  it('returns the handlers by path relative to their folder, outside the package', () => {
    expect([...result.skeletons.keys()]).toContain('AcsSmsReceived.ts');
    expect([...result.skeletons.keys()].filter((f) => !/^Acs\w+\.ts$/.test(f))).toEqual(['index.ts', 'server.ts']);
    expect([...result.generated.keys()].filter((f) => f.includes('handlers') || f.endsWith('server.ts'))).toEqual([]);
    expect(result.handlersImport).toBe('../generated');
    expect(result.skeletons.get('AcsSmsReceived.ts')).toContain("import type { Handler } from '../generated/src/router.js';");
  });

  it('imports the package by name when asked, with quoting', async () => {
    const { generate } = await import('../../generator/generate.ts');
    const named = await generate({
      docs: shippedDocs(),
      existingSchemas: new Map(),
      schemasDir: 'schemas',
      options: { locales: ['en'], packageName: 'eventgen-events', keepGoing: false, handlersImport: '@contoso/events' },
    });
    expect(named.skeletons.get('server.ts')).toContain("import { createWebhookServer } from '@contoso/events/node-http';");
    expect(named.skeletons.get('index.ts')).toContain("import type { Handlers } from '@contoso/events/router';");
  });

  it('plans: missing files are written (or reported by --check); files of gone event types are reported, never deleted', () => {
    const present = ['index.ts', 'AcsSmsReceived.ts', 'AcsOldEvent.ts', 'notes.md', 'lib/util.ts'];
    const plan = planHandlers(result.skeletons, present);
    expect(plan.missing).toContain('server.ts');
    expect(plan.missing).not.toContain('index.ts');
    expect(plan.missing).toHaveLength(result.skeletons.size - 2);
    expect(plan.orphans).toEqual(['AcsOldEvent.ts']);
    expect(planHandlers(result.skeletons, result.skeletons.keys())).toEqual({ missing: [], orphans: [] });
  });
});
