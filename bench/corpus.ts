/**
 * A deterministic synthetic corpus of Event Grid docs for the scaling benchmark: `count`
 * event types, ten per markdown page, each with three samples in both envelopes
 * (nested objects, arrays of objects, timestamps, ids, placeholders) and an event-type table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(next: () => number, n: number): string {
  return Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');
}

function uuid(next: () => number): string {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

function time(next: () => number): string {
  return new Date(Date.UTC(2024, 0, 1) + Math.floor(next() * 3e10)).toISOString();
}

/** The data of one sample of event `i`: a shape that depends on `i`, values on the sample. */
function data(i: number, sample: number, next: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    [`id${i % 7}`]: uuid(next),
    createdAt: time(next),
    actor: { displayName: `user ${sample}`, id: `8:acs:${uuid(next)}` },
    count: Math.floor(next() * 100),
  };
  if (i % 2 === 0)
    out.items = Array.from({ length: 1 + sample }, (_, k) => ({ sku: `SKU-${k}`, quantity: k + 1, price: k + 0.5 }));
  if (i % 3 === 0) out.location = { url: `https://example.com/${i}/${sample}`, region: 'westeurope', tags: ['a', 'b'] };
  if (i % 5 === 0) out[`detail${i}`] = { level: { nested: { at: time(next), ok: sample % 2 === 0 } } };
  if (sample > 0) out.optional = `seen in sample ${sample}`;
  return out;
}

export function corpusPages(count: number): Map<string, string> {
  const next = rng(count);
  const pages = new Map<string, string>();
  for (let page = 0; page * 10 < count; page++) {
    const types = Array.from({ length: Math.min(10, count - page * 10) }, (_, k) => page * 10 + k);
    const lines = ['---', `title: Synthetic events ${page}`, 'ms.contentlocale: en-us', '---', `# Synthetic events ${page}`, ''];
    lines.push('| Event type | Description |', '| --- | --- |');
    for (const i of types) lines.push(`| Contoso.Bench.Event${i}Happened | Published when thing ${i} happens. |`);
    lines.push('');
    for (const i of types) {
      lines.push(`## Contoso.Bench.Event${i}Happened`, '');
      for (let sample = 0; sample < 3; sample++) {
        const eventType = `Contoso.Bench.Event${i}Happened`;
        const body = data(i, sample, next);
        const event =
          sample === 2
            ? {
                id: uuid(next),
                source: '/subscriptions/{subscription-id}/things',
                subject: `thing/${i}`,
                type: eventType,
                time: time(next),
                specversion: '1.0',
                data: body,
              }
            : {
                id: uuid(next),
                topic: '/subscriptions/{subscription-id}/things',
                subject: `thing/${i}`,
                eventType,
                eventTime: time(next),
                data: body,
                dataVersion: '1.0',
                metadataVersion: '1',
              };
        lines.push('```json', JSON.stringify([event], null, 2), '```', '');
      }
    }
    pages.set(`synthetic-${String(page).padStart(4, '0')}.md`, lines.join('\n'));
  }
  return pages;
}

export function writeCorpus(dir: string, count: number): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of corpusPages(count)) writeFileSync(path.join(dir, name), text);
  return dir;
}
