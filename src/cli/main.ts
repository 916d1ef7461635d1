import * as fs from 'fs';
import { executeCommand } from './plan-command';

/** Waits 5 ms without spinning: the pipe is full or standard input has nothing yet. */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/** Writes all of a text to a file descriptor, waiting while a non-blocking pipe is full. */
function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf-8');
  while (buffer.length > 0) {
    try {
      buffer = buffer.subarray(fs.writeSync(fd, buffer));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') {
        throw e;
      }
      pause();
    }
  }
}

/** Standard input in chunks of 1 MiB, decoded as UTF-8 across chunk ends. */
function* stdinChunks(): Generator<string> {
  const buffer = Buffer.alloc(1024 * 1024);
  const decoder = new TextDecoder('utf-8');
  for (;;) {
    let read: number;
    try {
      read = fs.readSync(0, buffer);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        pause();
        continue;
      }
      if (code === 'EOF') {
        break;
      }
      throw e;
    }
    if (read === 0) {
      break;
    }
    yield decoder.decode(buffer.subarray(0, read), { stream: true });
  }
  yield decoder.decode();
}

/**
 * The `cdk8s-sidecars` command: writes as the command goes, exits with its code.
 *
 * @internal
 */
export function main(argv: string[]): void {
  process.exitCode = executeCommand(argv, {
    stdin: stdinChunks,
    stdout: text => writeAll(1, text),
    stderr: text => writeAll(2, text),
  });
}
