// The plan's input, read a document at a time: the split agrees with the YAML parser's
// own, in any chunking; directories; UTF-8 across chunk ends; the streamed output is
// the output of the whole.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as yaml from 'yaml';
import { inputDocuments, yamlDocuments } from '../../src/cli/inputs';
import { runCommand } from '../../src/cli/plan-command';
import { runs } from '../properties/arbitraries';

let work: string;
beforeAll(() => work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-sidecars-inputs-')));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The text cut into pieces of `size` characters. */
function chunked(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) {
    chunks.push(text.slice(i, i + size));
  }
  return chunks;
}

/** The documents as the YAML library reads the whole stream at once. */
function whole(text: string): unknown[] {
  return yaml.parseAllDocuments(text).map(d => (d as yaml.Document).toJS());
}

function split(text: string, size: number): unknown[] {
  return [...yamlDocuments(chunked(text, size))].map(d => yaml.parseDocument(d).toJS());
}

describe('the split into documents', () => {
  test.each([
    ['one document without a marker', 'a: 1'],
    ['markers between and before', '---\na: 1\n---\nb: 2\n'],
    ['an empty document between two', 'a: 1\n---\n---\nb: 2'],
    ['a comment before the first marker is no document', '# generated\n---\na: 1'],
    ['only a marker: one empty document', '---\n'],
    ['nothing', ''],
    ['only comments and blank lines', '\n\n# x\n'],
    ['an end marker, then a directive for the next document', 'a: 1\n...\n%YAML 1.2\n---\nb: 2\n'],
    ['content on the marker line', '--- {a: 1}\n--- [1]\n'],
    ['"---" inside a block scalar is content', 'a: |\n  ---\n  x\nb: 2\n---\nc: 3'],
    ['"----" is no marker', '----\na: 1'],
    ['an end marker alone', '...\n'],
    ['an end marker after a document', 'a: 1\n...\n'],
    ['content after an end marker, without a new marker', 'a: 1\n...\nb: 2\n'],
    ['a marker on the last line, without a newline', 'x: 1\n--- y'],
    ['an end marker on the last line, without a newline', 'x: 1\n...'],
    ['CRLF line ends', 'a: 1\r\n---\r\nb: 2\r\n'],
    ['a byte order mark', '\uFEFFa: 1\n---\nb: 2\n'],
    ['an indented document before the first marker', '  a: 1\n---\nb: 2\n'],
    ['an indented comment before the first marker is no document', '  # generated\n---\na: 1\n'],
    ['a marker that ends the text', 'a: 1\n---'],
    ['two markers: two empty documents', '---\n---\n'],
  ])('%s: the parser\'s documents, in any chunking', (_name, text) => {
    const expected = whole(text.replace(/^\uFEFF/, ''));
    for (const size of [1, 2, 3, 5, 8, 1000]) {
      expect(split(text, size)).toEqual(expected);
    }
  });

  test('any YAML documents, joined with markers, cut anywhere', () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const separator = fc.constantFrom('---\n', '...\n---\n', '--- \n', '---\n# c\n');
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), separator, fc.integer({ min: 1, max: 64 }), (documents, between, size) => {
      const text = documents.map(d => yaml.stringify(d)).join(between);
      expect(split(text, size)).toEqual(whole(text));
    }), runs(300));
  });
});

test('a byte order mark before a sequence: dropped, as YAML allows it at the start of a stream', () => {
  expect(split('\uFEFF- a\n---\n- b\n', 3)).toEqual([['a'], ['b']]);
});

describe('files, directories and standard input', () => {
  test('a directory\'s files sorted whatever order they were made in; names that only contain .yaml are skipped', () => {
    const dir = path.join(work, 'order');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of ['e', 'b', 'f', 'a', 'd', 'c']) {
      fs.writeFileSync(path.join(dir, `${name}.yaml`), `kind: ${name.toUpperCase()}\n`);
    }
    fs.writeFileSync(path.join(dir, 'a.yaml.bak'), 'kind: Backup\n');
    expect([...inputDocuments([dir], () => [])].map(d => d.manifest.kind)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  test('standard input that fails with no error object: still one line', () => {
    const failing = function* (): Generator<string> {
      throw null;
    };
    expect(() => [...inputDocuments(['-'], failing)]).toThrow('cdk8s-sidecars: standard input: cannot be read (null)');
  });

  test('malformed YAML: the parser\'s first line, whole', () => {
    expect(() => [...inputDocuments(['-'], () => ['kind: Pod\n  spec: [\n'])]).toThrow(/^cdk8s-sidecars: standard input, document 1: not valid YAML: \S+ \S+ \S+/);
  });

  test('a directory: its .yaml and .yml files, sorted by name, subdirectories where they sort', () => {
    const dir = path.join(work, 'tree');
    fs.mkdirSync(path.join(dir, 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'c.yml'), 'kind: C\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'kind: A1\n---\nkind: A2\n');
    fs.writeFileSync(path.join(dir, 'b', 'x.yaml'), 'kind: B\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# not read: [');
    const documents = [...inputDocuments([dir], () => [])];
    expect(documents.map(d => [d.manifest.kind, d.where])).toEqual([
      ['A1', `${path.join(dir, 'a.yaml')}, document 1`],
      ['A2', `${path.join(dir, 'a.yaml')}, document 2`],
      ['B', `${path.join(dir, 'b', 'x.yaml')}, document 1`],
      ['C', `${path.join(dir, 'c.yml')}, document 1`],
    ]);
  });

  test('a file larger than a read, with a character of two bytes across the read\'s end', () => {
    const target = path.join(work, 'large.yaml');
    const filler = 'x'.repeat((1024 * 1024) - 'a: '.length - 1);
    fs.writeFileSync(target, `a: ${filler}é\n---\nb: ü\n`);
    const documents = [...inputDocuments([target], () => [])].map(d => d.manifest);
    expect(documents).toEqual([{ a: `${filler}é` }, { b: 'ü' }]);
  });

  test('standard input in chunks: read only when it is an input, a failure named', () => {
    const read: string[] = [];
    const stdin = function* () {
      read.push('read');
      yield 'kind: A\n--';
      yield '-\nkind: B\n';
    };
    expect([...inputDocuments(['-'], stdin)].map(d => d.manifest.kind)).toEqual(['A', 'B']);
    expect(read).toEqual(['read']);
    const failing = function* () {
      yield 'kind: A\n---\n';
      throw Object.assign(new Error('gone'), { code: 'EIO' });
    };
    expect(() => [...inputDocuments([], failing)]).toThrow('cdk8s-sidecars: standard input: cannot be read (EIO)');
  });
});

describe('the output, written a workload at a time', () => {
  const workload = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'busybox:1.37.0', command: ['sleep', '1'] }] },
  });

  test.each([[0], [1], [3]])('--json of %i workloads is JSON.stringify of the whole, byte for byte', count => {
    const text = [...Array.from({ length: count }, (_, i) => workload(`p${i}`)), { kind: 'ConfigMap', metadata: { name: 'c' } }]
      .map(m => yaml.stringify(m)).join('---\n');
    const result = runCommand(['plan', '--json'], () => text);
    const plans = JSON.parse(result.stdout);
    expect(plans.workloads).toHaveLength(count);
    expect(result.stdout).toBe(JSON.stringify(plans, null, 2) + '\n');
    expect(plans.skipped).toBe(1);
  });

  test('bad input after good: the plans before it are printed whole, then one line and exit 2', () => {
    const text = `${yaml.stringify(workload('first'))}---\nkind: Pod\n  spec: [\n`;
    const result = runCommand(['plan'], () => text);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/^Pod first \(standard input, document 1\)\n[\s\S]*\n\n$/);
    expect(result.stdout).not.toContain('planned');
    expect(result.stderr).toMatch(/^cdk8s-sidecars: standard input, document 2: not valid YAML: [^\n]+\n$/);
  });
});
