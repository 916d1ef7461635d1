import { DependencyType, cdk8s, javascript } from 'projen';
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-sidecars',
  description: 'Typed cdk8s constructs for the Kubernetes sidecar pattern: native sidecars, log shippers, debug toolboxes and Jobs that complete.',
  author: 'cdk8s-sidecars maintainers',
  authorAddress: 'maintainers@users.noreply.cdk8s-sidecars.example',
  repositoryUrl: 'https://github.com/cdk8s-sidecars/cdk8s-sidecars.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~5.9.0',
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  sampleCode: false,
  // the plan command reads any YAML; jsii packages ship such dependencies bundled
  bundledDeps: ['yaml@^2'],
  bin: { 'cdk8s-sidecars': 'bin/cdk8s-sidecars' },
  github: false,
  release: false,
  devDeps: [
    '@types/node@^20', 'kubernetes-models@~4.5.1', '@kubernetes-models/prometheus-operator@~4.4.4', 'ts-node@^10',
    // the real cdk8s CLI, to run the validation plugin and the examples as users do
    'cdk8s-cli@2.207.60',
    // Envoy's own API definitions (.proto files, shipped in deps/) and a loader, to check generated bootstraps
    '@grpc/grpc-js-xds@^1.14.1', 'protobufjs@^7',
    // the current cdk8s-plus lines (cdk8s init scaffolds plus-33): the same sidecars on their workloads (test/sources)
    'cdk8s-plus-33@2.5.57', 'cdk8s-plus-34@2.0.54',
    // property-based tests (test/properties)
    'fast-check@^4',
    // Mermaid's own parser (in a DOM from jsdom) for the diagrams of plan --diff
    'mermaid@11.17.2', 'jsdom@^29',
    // mutation testing (npm run mutation; not part of the tests or CI)
    '@stryker-mutator/core@~9.6.1', '@stryker-mutator/jest-runner@~9.6.1', '@stryker-mutator/typescript-checker@~9.6.1',
  ],
  // `npm test` fails on a changed snapshot; `npx projen test:update` rewrites them.
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestVersion: '^29',
    // examples import the package by name, as users do; the tests run them on the source
    jestConfig: { moduleNameMapper: { '^cdk8s-sidecars$': '<rootDir>/src/index.ts' } },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'scripts', 'bench', 'projenrc'] },
  gitignore: ['/dist/', '/examples/*/dist/construct-metadata.json'],
});

// eslint-import-resolver-typescript 3.6 resolves with enhanced-resolve; later versions
// pull per-platform native bindings that the registry mirror here lacks, which leaves
// package-lock.json out of step with package.json and `npm ci` refusing it.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.addDependency('eslint-import-resolver-typescript@3.6.3', DependencyType.BUILD);

// Examples import 'cdk8s-sidecars' as users do: synth:examples links node_modules/cdk8s-sidecars
// to this package after compiling it, and the tests map the name to src/.
project.eslint?.addOverride({
  files: ['examples/**/*.ts'],
  rules: { 'import/no-unresolved': ['error', { ignore: ['^cdk8s-sidecars$'] }], 'import/no-extraneous-dependencies': 'off' },
});

// The main job: synthesize every app under examples/ to dist/<example>/.
project.addTask('synth:examples', {
  description: 'Compile the package, then run the real `cdk8s synth` in every example: YAML in examples/<name>/dist/',
  exec: 'ts-node scripts/synth-examples.ts',
});

// Benchmarks (bench/README.md): synthesis time and memory against hand-written cdk8s-plus
// and raw ApiObjects producing the same YAML, the plan command, `cdk8s synth` per route.
// Not part of the tests. The cdk8s CLI part needs lib/, hence the compile.
project.addTask('bench', {
  description: 'Benchmark synthesis, memory, the plan command and cdk8s synth against like-for-like baselines (ratios)',
  steps: [
    { spawn: 'compile' },
    { exec: 'node --expose-gc --max-old-space-size=8192 -r ts-node/register/transpile-only bench/run.ts' },
  ],
});

// Mutation testing (stryker.config.mjs, docs/MUTATION.md), not part of the tests or CI.
// One folder: MUTATE=src/core npm run mutation. The property tests run a twentieth of
// their cases for each mutant, the runtime drain tests one run instead of five.
project.addTask('mutation', {
  description: 'Mutation testing with Stryker; MUTATE=src/<folder> for one folder',
  env: { FC_RUNS_SCALE: '0.05', RUNTIME_RUNS: '1' },
  exec: 'stryker run',
});
project.gitignore.exclude('/reports/', '/.stryker-tmp/');

// jsii never cleans lib/: start each compile from an empty one.
project.preCompileTask.exec('rm -rf lib');

project.synth();
