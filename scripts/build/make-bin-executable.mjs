// Marks the package's `bin` targets executable after tsc wrote them (tsc writes 0644). npm sets
// the mode only when it links a bin, and `npx ruleshift` in a checkout reuses the link it made in
// its cache the first time (~/.npm/_npx), so a rebuilt or freshly cloned dist at the same path
// would otherwise stay 0644 and the shell refuses it ("Permission denied").
import { chmodSync, readFileSync } from 'node:fs';

const { bin } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
for (const target of Object.values(bin))
  chmodSync(new URL(`../../${target}`, import.meta.url), 0o755);
