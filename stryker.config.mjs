// Mutation testing, run by `npm run mutation` (not part of the tests or CI); see
// docs/MUTATION.md. Every test file counts: Stryker's jest runner would otherwise run
// only the tests it finds related to a mutated file, missing those that load code
// through a dynamic require (enableFindRelatedTests: false).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    enableFindRelatedTests: false,
    // MUTATE_TESTS=test/rules,test/plan: only the tests under these folders (or files)
    // count; by default every test does
    ...(process.env.MUTATE_TESTS ? {
      config: {
        testMatch: process.env.MUTATE_TESTS.split(',')
          .map(entry => entry.trim().replace(/\/$/, ''))
          .map(entry => entry.endsWith('.ts') ? `<rootDir>/${entry}` : `<rootDir>/${entry}/**/*.test.ts`)
      }
    } : {})
  },
  coverageAnalysis: 'perTest',
  checkers: [
    'typescript'
  ],
  tsconfigFile: 'tsconfig.json',
  mutate: process.env.MUTATE
    // one folder or several: MUTATE=src/core or MUTATE=src/plan,src/mesh-proxy npm run mutation
    // (or files: MUTATE=src/rules/mutable-image-tag.ts,src/plan/pod-security, or the
    // lines of a file that changed: MUTATE=src/core/workload.ts:120-180)
    ? process.env.MUTATE.split(',')
      .map(entry => entry.trim().replace(/\/$/, ''))
      .map(entry => /\.ts(:\d+-\d+)?$/.test(entry) ? entry : `${entry}/**/*.ts`)
    : ['src/**/*.ts', '!src/index.ts'],
  ignorePatterns: [
    '/lib',
    '/dist',
    '/reports',
    '/test-reports',
    '/coverage'
  ],
  reporters: [
    'clear-text',
    'progress',
    'html',
    'json'
  ],
  htmlReporter: {
    fileName: 'reports/mutation/index.html'
  },
  jsonReporter: {
    fileName: 'reports/mutation/mutation.json'
  },
  concurrency: 2,
  // slack on top of 1.5 times a mutant's tests' own time in the dry run: a mutant that
  // makes a generated script hang is killed after that, not after a minute
  timeoutMS: 10000,
  // results kept in reports/stryker-incremental.json: a later run tests again only the
  // mutants whose code or covering tests changed
  incremental: true,
  thresholds: {
    high: 90,
    low: 80,
    break: null
  },
  ignoreStatic: true
};
