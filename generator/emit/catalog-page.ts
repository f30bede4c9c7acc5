/**
 * The HTML catalog (`catalog/index.html`): the catalog model (catalog.ts) laid out for
 * templates/catalog.html.hbs. Every id, label and yes/no the page prints is computed here; the
 * template prints each through the `html` helper (quote.ts htmlText). The page is one file: its
 * style and script are in the template, it loads nothing, so it opens from `file://` as from any host.
 */
import type { FileMap } from '../ir.ts';
import { MD_BANNER } from './banner.ts';
import type { CatalogEvent, CatalogModel } from './catalog.ts';
import { render } from './render.ts';

const yes = (b: boolean) => (b ? 'yes' : 'no');

function eventPage(e: CatalogEvent, index: number, packageName: string) {
  const anchor = e.eventType;
  const imports = [`make${e.typeName}`, ...e.fixtureCalls.slice(1).map((c) => c.slice(0, c.indexOf('(')))];
  return {
    anchor,
    headingId: `event-${index}`,
    eventType: e.eventType,
    /** The event type without its provider, under which the navigation lists it. */
    shortName: e.eventType.slice(e.eventType.lastIndexOf('.') + 1) || e.eventType,
    typeName: e.typeName,
    searchText: e.searchText,
    description: e.description,
    descriptionLocale: e.descriptionLocale,
    hasDescription: e.description !== '',
    otherDescriptions: e.otherDescriptions,
    otherCount: e.otherDescriptions.length,
    deprecated: e.deprecated,
    envelopeLabels: e.envelopeLabels || 'none documented',
    schemaFile: `schemas/${e.schemaFile}`,
    source: e.source,
    sources: e.sources.join(', '),
    fieldsCaption: `Fields of ${e.typeName} (the event's data)`,
    fields: e.fields.map((f) => ({
      path: f.path,
      indent: `depth-${Math.min(f.depth, 6)}`,
      type: f.type,
      knownValues: f.knownValues.join(', '),
      nullable: yes(f.nullable),
      required: yes(f.required),
      deprecated: yes(f.deprecated),
      description: f.description,
      evidence: f.evidence,
    })),
    hasFields: e.fields.length > 0,
    samples: e.samples.map((s) => ({ label: s.label, json: s.json, codeId: `sample-${index}-${s.envelope}` })),
    hasSamples: e.samples.length > 0,
    fixtureCode: [`import { ${imports.join(', ')} } from '${packageName}';`, '', ...e.fixtureCalls.map((c) => `${c};`)].join(
      '\n',
    ),
    handlerFile: e.handlerFile,
    history: e.history,
    hasHistory: e.history.length > 0,
    changelog: e.changelog,
    hasChangelog: e.changelog.length > 0,
  };
}

/** The page view: providers → families → events, and the numbers the header prints. */
export function catalogPageView(model: CatalogModel) {
  let index = 0;
  const providers = model.providers.map((p, pi) => ({
    provider: p.provider,
    headingId: `provider-${pi}`,
    families: p.families.map((f, fi) => ({
      family: f.family,
      headingId: `family-${pi}-${fi}`,
      events: f.events.map((e) => eventPage(e, index++, model.packageName)),
    })),
  }));
  const count = model.events.length;
  return {
    banner: MD_BANNER,
    title: `${model.packageName} event catalog`,
    packageName: model.packageName,
    version: model.version,
    total: String(count),
    summary: `${count} event type${count === 1 ? '' : 's'}, version ${model.version}`,
    providers,
  };
}

/** The files of the catalog folder. */
export function catalogFiles(model: CatalogModel): FileMap {
  return new Map([['index.html', render('catalog.html.hbs', catalogPageView(model))]]);
}
