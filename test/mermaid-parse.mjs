// Parses Mermaid diagrams with Mermaid's own parser (the mermaid package, in a DOM
// from jsdom, as it needs one), for test/cli/diff.test.ts: a JSON list of diagram
// texts on standard input; on standard output a JSON list with, for each, null when
// it parses or the parser's first line of error.
import fs from 'fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

const results = [];
for (const text of JSON.parse(fs.readFileSync(0, 'utf-8'))) {
  try {
    await mermaid.parse(text);
    results.push(null);
  } catch (e) {
    results.push(String(e?.message ?? e).split('\n')[0]);
  }
}
process.stdout.write(JSON.stringify(results));
