/**
 * `npm run openapi:types [-- <url>]`: reads the OpenAPI document of a running ruleshift
 * (default http://127.0.0.1:3000, i.e. `npm start`) and writes the generated client types to
 * test/support/generated/ruleshift-api.ts.
 */
import { writeFile } from 'node:fs/promises';
import { GENERATED_API_TYPES, generateApiTypes } from './openapi-types';

async function main(): Promise<void> {
  const url = process.argv[2] ?? 'http://127.0.0.1:3000';
  const answer = await fetch(`${url}/api/docs-json`);
  if (!answer.ok) throw new Error(`GET ${url}/api/docs-json answered ${answer.status}`);
  await writeFile(GENERATED_API_TYPES, await generateApiTypes(await answer.json()));
  console.log(`wrote ${GENERATED_API_TYPES} from ${url}/api/docs-json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
