import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'yaml';

/**
 * A problem with the command's input or arguments: one line for stderr, exit code 2.
 *
 * @internal
 */
export class InputError extends Error {}

/** A parsed document of the input, and where it stands. @internal */
export interface InputDocument {
  /** The document as plain data: null for an empty document. */
  readonly manifest: any;
  /** For messages: "dist/app.k8s.yaml, document 3". */
  readonly where: string;
}

/** How many bytes a file is read by at a time. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The documents of the inputs, one at a time and in order: a file, every `.yaml` and
 * `.yml` file under a directory (sorted by path, depth first), or `-` for standard
 * input. No input means standard input. Only the document being
 * parsed is held in memory, whatever the size of the input.
 *
 * @internal
 */
export function* inputDocuments(inputs: string[], stdin: () => Iterable<string>): Generator<InputDocument> {
  for (const input of inputs.length > 0 ? inputs : ['-']) {
    for (const file of input === '-' ? ['-'] : filesOf(input)) {
      const name = file === '-' ? 'standard input' : file;
      let index = 0;
      for (const text of yamlDocuments(guarded(name, file === '-' ? stdin : () => fileChunks(file)))) {
        index++;
        const where = `${name}, document ${index}`;
        const document = yaml.parseDocument(text);
        if (document.errors.length > 0) {
          throw new InputError(`cdk8s-sidecars: ${where}: not valid YAML: ${document.errors[0].message.split('\n')[0]}`);
        }
        let manifest: any;
        try {
          manifest = document.toJS({ maxAliasCount: 100 });
        } catch (e) {
          throw new InputError(`cdk8s-sidecars: ${where}: ${(e as Error).message}`);
        }
        yield { manifest: manifest ?? null, where };
      }
    }
  }
}

/** A file as itself; a directory as its YAML files, sorted, recursively. */
function filesOf(input: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch (e) {
    throw new InputError(`cdk8s-sidecars: ${input}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!stat.isDirectory()) {
    return [input];
  }
  return fs.readdirSync(input, { withFileTypes: true })
    .map(entry => ({ entry, file: path.join(input, entry.name) }))
    .sort((a, b) => a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0)
    .flatMap(({ entry, file }) => entry.isDirectory() ? filesOf(file) : /\.ya?ml$/.test(entry.name) ? [file] : []);
}

/** A file's text in chunks of about a mebibyte, decoded as UTF-8 across chunk ends. */
function* fileChunks(file: string): Generator<string> {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    const decoder = new TextDecoder('utf-8');
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) {
      yield decoder.decode(buffer.subarray(0, read), { stream: true });
    }
    yield decoder.decode();
  } finally {
    fs.closeSync(fd);
  }
}

/** The chunks of a source, with a failure to read turned into one line that names it. */
function* guarded(name: string, source: () => Iterable<string>): Generator<string> {
  let iterator: Iterator<string>;
  let step: IteratorResult<string>;
  const readError = (e: unknown) => new InputError(`cdk8s-sidecars: ${name}: cannot be read (${(e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e)})`);
  try {
    iterator = source()[Symbol.iterator]();
    step = iterator.next();
  } catch (e) {
    throw readError(e);
  }
  while (!step.done) {
    yield step.value;
    try {
      step = iterator.next();
    } catch (e) {
      throw readError(e);
    }
  }
}

/**
 * Splits a YAML stream into the text of its documents, without parsing it. A document
 * starts at a line that begins with the marker `---` and ends at the next such line or
 * at a line `...` (what follows that, directives and comments, belongs to the next
 * document). YAML forbids both markers at the start of a line inside any content, so
 * the split is the one the YAML parser makes. Text before the first marker is a
 * document only when it holds more than comments and blank lines.
 *
 * @internal
 */
export function* yamlDocuments(chunks: Iterable<string>): Generator<string> {
  // a line that YAML reads as content: not blank, not a comment, not a directive
  const hasContent = (text: string) => /^(?:[^#% \t\r\n]|[ \t]+[^# \t\r\n])/m.test(text);
  let buffer = '';
  let first = true;
  // where the marker search goes on: the start of the first line not searched yet
  let searched = 0;
  // whether the current document (from buffer[0]) opened with "---"
  let explicit = false;
  // the documents that end before `limit`, the start of the first incomplete line; what
  // is left of the buffer is the document that goes on
  function* split(limit: number): Generator<string> {
    const marker = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
    marker.lastIndex = searched;
    let start = 0;
    for (let match = marker.exec(buffer); match !== null && match.index < limit; match = marker.exec(buffer)) {
      if (match[1] === '---') {
        // what comes before the first "---" or after a "...", when only comments and
        // directives, opens the next document
        const text = buffer.slice(start, match.index);
        if (explicit || hasContent(text)) {
          yield text;
          start = match.index;
        }
        explicit = true;
      } else {
        const newline = buffer.indexOf('\n', match.index);
        const end = newline < 0 ? buffer.length : newline + 1;
        const text = buffer.slice(start, end);
        if (explicit || hasContent(text)) {
          yield text;
        }
        start = end;
        explicit = false;
      }
    }
    buffer = buffer.slice(start);
    searched = Math.max(limit - start, 0);
  }
  for (const chunk of chunks) {
    buffer += first ? chunk.replace(/^\uFEFF/, '') : chunk;
    first = buffer.length === 0;
    yield* split(buffer.lastIndexOf('\n') + 1);
  }
  // the last line, with or without a newline
  yield* split(buffer.length + 1);
  if (explicit || hasContent(buffer)) {
    yield buffer;
  }
}
