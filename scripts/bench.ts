/** `npm run bench`: every benchmark in tests/bench, one after another (they share two cores). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = join(import.meta.dirname, '..', 'tests', 'bench');
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts') && (!only || file.includes(only)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file}`);
  const module = (await import(pathToFileURL(join(dir, file)).href)) as {
    run: () => Promise<void>;
  };
  await module.run();
}
