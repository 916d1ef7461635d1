import * as fs from 'fs';
import * as path from 'path';
import { RULES_DOC, rulesDocument } from '../../scripts/rules-doc';
import { RULES } from '../../src/rules/all';

test('docs/RULES.md is the one scripts/rules-doc.ts writes from the rules (run it when this fails)', () => {
  expect(fs.readFileSync(RULES_DOC, 'utf-8')).toBe(rulesDocument());
});

test('every rule: a unique kebab-case id, a file of its own named by it, and a test file', () => {
  const ids = RULES.map(r => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of RULES) {
    expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning']).toContain(rule.level);
    expect(rule.checks).toMatch(/^[A-Za-z].*\.$/);
    expect(rule.fix).toMatch(/^[A-Z].*\.$/);
    expect(fs.existsSync(path.join('src', 'rules', `${rule.id}.ts`))).toBe(true);
    expect(fs.existsSync(path.join('test', 'rules', `${rule.id}.test.ts`))).toBe(true);
  }
});

test('every rule file under src/rules/ is in the list', () => {
  const helpers = ['all', 'containers', 'engine', 'pod', 'rule', 'rule-suppressions', 'stop-times', 'synth-check'];
  const files = fs.readdirSync(path.join('src', 'rules')).map(f => f.replace(/\.ts$/, '')).filter(f => !helpers.includes(f));
  expect(files.sort()).toEqual(RULES.map(r => r.id).sort());
});
