/**
 * Regenerates the JMS selector parser from its grammar: `npm run gen:selector-parser`
 * (see scripts/selector-parser-source.ts for why the parser is generated ahead and committed).
 */
import { writeFileSync } from 'node:fs';
import { PARSER_TYPES_URL, PARSER_URL, renderSelectorParser } from './selector-parser-source.ts';

const { js, dts } = renderSelectorParser();
writeFileSync(PARSER_URL, js);
writeFileSync(PARSER_TYPES_URL, dts);
console.log(`${PARSER_URL.pathname}: ${js.length} characters`);
