// Writes schema/scan-result.schema.json from the model. A test fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { scanResultJsonSchema } from '../src/core/model/json-schema.ts';

const path = new URL('../schema/scan-result.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(scanResultJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
