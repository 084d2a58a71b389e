/**
 * npm run contracts — writes docs/openapi.json and docs/events/*.json from the zod contracts, and
 * docs/iam-policies.json (each function's IAM policies, from the synthesized template: what the
 * local province checks every AWS call against), then the typed storefront client's schema
 * (clients/typescript/src/schema.d.ts, openapi-typescript). A test fails when the committed files
 * are not what this writes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventContracts, eventJsonSchema, schemaName } from '../functions/contracts/event-schemas.js';
import { openApiDocument } from '../functions/contracts/openapi.js';
import { iamPolicies } from '../local/iam.js';
import { provinceTemplate } from '../local/template.js';
import { loadProvince } from '../province/config/index.js';

export const DOCS = join(import.meta.dirname, '..', 'docs');

export function contractFiles(): Record<string, string> {
  const files: Record<string, string> = {
    'openapi.json': JSON.stringify(openApiDocument(), null, 2) + '\n',
    'iam-policies.json': JSON.stringify(iamPolicies(provinceTemplate(loadProvince('hunan'))), null, 2) + '\n',
  };
  for (const c of eventContracts) files[join('events', `${schemaName(c)}.json`)] = JSON.stringify(eventJsonSchema(c), null, 2) + '\n';
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rmSync(join(DOCS, 'events'), { recursive: true, force: true });
  mkdirSync(join(DOCS, 'events'), { recursive: true });
  for (const [file, text] of Object.entries(contractFiles())) writeFileSync(join(DOCS, file), text);
  execFileSync('npm', ['run', '-s', '-w', 'clients/typescript', 'generate'], { stdio: 'inherit', cwd: join(DOCS, '..') });
  console.log(`wrote docs/openapi.json, docs/iam-policies.json, ${eventContracts.length} event schemas in docs/events/ and clients/typescript/src/schema.d.ts`);
}
