import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { only, podSpec, synth } from './util';

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter(name => fs.existsSync(path.join(EXAMPLES_DIR, name, 'cdk8s.yaml'))).sort();

function build(name: string): App {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(path.join(EXAMPLES_DIR, name, 'main'));
  return example.build(new App());
}

test('there are examples', () => {
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(2);
});

describe.each(EXAMPLES)('%s', (name) => {
  test('synthesizes to schema-valid manifests, the same bytes twice', () => {
    const first = build(name).synthYaml();
    const second = build(name).synthYaml();
    expect(second).toBe(first);
    expect(synth(build(name)).length).toBeGreaterThan(0);
    expect(first).toMatchSnapshot();
  });
});

test('web-with-log-reader: native sidecar in initContainers, classic one in containers', () => {
  const native = podSpec(only(synth(build('web-with-log-reader')), 'Deployment'));
  expect(native.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['log-reader', 'Always']]);
  expect(native.containers.map((c: any) => c.name)).toEqual(['web-server']);

  const classic = podSpec(only(synth(build('web-with-log-reader-classic')), 'Deployment'));
  expect(classic.initContainers).toBeUndefined();
  expect(classic.containers.map((c: any) => c.name)).toEqual(['web-server', 'log-reader']);
  expect(classic.containers[1].restartPolicy).toBeUndefined();
});
