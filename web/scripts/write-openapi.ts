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
