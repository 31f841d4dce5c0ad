import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildApiDocument } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';

/**
 * `node dist/src/openapi.js <file>`: writes the OpenAPI document the service serves at /docs-json,
 * built without a database. Used by `npm run lint:api` and `npm run gen:client`.
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/src/openapi.js <output.json>');
  const { doc, unmatched } = await buildApiDocument(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }));
  // every operation must come from a controller route whose metadata (auth, roles) the errors were derived from
  if (unmatched.length) throw new Error(`operations without a controller route: ${unmatched.join(', ')}`);
  writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? `Configuration error: ${err.message}` : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
