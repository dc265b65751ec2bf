import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../../shared/api/openapi.ts';

/**
 * Writes the API's OpenAPI document (the one the API serves at /openapi.json, built from the zod
 * route contracts) to web/src/api/openapi.json without starting a server; `npm run gen:api` then
 * turns it into web/src/api/schema.d.ts with openapi-typescript. The file is only rewritten when it
 * changed, so a build stays incremental.
 */
const out = fileURLToPath(new URL('../src/api/openapi.json', import.meta.url));
const text = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
let previous = '';
try {
  previous = readFileSync(out, 'utf8');
} catch {
  previous = '';
}
if (previous !== text) {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  process.stdout.write(`wrote ${out}\n`);
}

/**
 * The JSON Schema of every entry type (the draft body's `oneOf`, one variant per type), on its own
 * for the console's entry forms (src/entries/SchemaFields.tsx): a page that drafts entries loads
 * these few kilobytes, not the whole document.
 */
const drafts = JSON.parse(text).paths['/officers/{officerId}/file/drafts'].post.requestBody.content['application/json'].schema;
const entriesOut = fileURLToPath(new URL('../src/api/entry-schemas.json', import.meta.url));
const entriesText = `${JSON.stringify({ oneOf: drafts.oneOf }, null, 2)}\n`;
let previousEntries = '';
try {
  previousEntries = readFileSync(entriesOut, 'utf8');
} catch {
  previousEntries = '';
}
if (previousEntries !== entriesText) {
  writeFileSync(entriesOut, entriesText);
  process.stdout.write(`wrote ${entriesOut}\n`);
}
