/**
 * The dependency rules of the code base (dependency-cruiser). `npm run deps` checks them, and
 * so does `npm test` (test/architecture), which also proves each rule fires on a broken tree.
 */
const CONTEXTS = '(catalog|shows|orders|payments|payouts|settlement|access|events|registry|reconciliation)';

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'functions/domain holds the rules: it imports nothing but itself (and Node built-ins).',
      severity: 'error',
      from: { path: '^functions/domain/' },
      to: { pathNot: '^functions/domain/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'use-cases-through-ports',
      comment: "A context's use cases and handlers reach storage and services only through its ports; only its deps.ts (the composition) names adapters.",
      severity: 'error',
      from: { path: `^functions/${CONTEXTS}/`, pathNot: `^functions/${CONTEXTS}/deps\\.ts$` },
      to: { path: '^functions/adapters/' },
    },
    {
      name: 'adapters-implement-ports',
      comment: "Adapters know a context only by its ports (and the domain), never its use cases or handlers.",
      severity: 'error',
      from: { path: '^functions/adapters/' },
      to: { path: `^functions/${CONTEXTS}/`, pathNot: `^functions/${CONTEXTS}/ports\\.ts$` },
    },
    {
      name: 'contexts-compose-themselves',
      comment: "A context does not use another context's composition (deps.ts): it declares the port it needs.",
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/[^/]+/deps\\.ts$', pathNot: '^functions/$1/' },
    },
    {
      name: 'codecs-are-storage',
      comment: "Only a table's adapters know its key layout; outside the runtime, the offline seeding, the benchmarks' raw writes and the tests use the same codecs rather than a copy.",
      severity: 'error',
      from: { pathNot: '^(functions/adapters/|local/|bench/|test/)' },
      to: { path: '^functions/adapters/codecs/' },
    },
    {
      name: 'functions-stand-alone',
      comment: 'The runtime never imports the CDK app, the local province, the benchmarks or the tests.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^(lib|bin|local|bench|test)/' },
    },
    {
      name: 'cdk-without-runtime',
      comment: 'The CDK app imports no runtime code: handler entries are paths (strings) given to esbuild.',
      severity: 'error',
      from: { path: '^(lib|bin)/' },
      to: { path: '^(functions|local|bench|test)/' },
    },
    {
      name: 'declaration-is-neutral',
      comment: 'province/ (the wiring and the province configs) is read by both sides and imports neither.',
      severity: 'error',
      from: { path: '^province/' },
      to: { path: '^(lib|bin|functions|local|bench|test)/' },
    },
    {
      name: 'local-is-not-test',
      comment: 'The local province runs without the test suite or the benchmarks.',
      severity: 'error',
      from: { path: '^local/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'bench-and-test-apart',
      comment: 'Benchmarks and tests share code only through local/ or functions/.',
      severity: 'error',
      from: { path: '^(bench|test)/' },
      to: { path: '^(bench|test)/', pathNot: '^$1/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^aws-lambda$|/clients/typescript/src/schema[.]js$' }, // @types/aws-lambda, the generated API types (schema.d.ts): types only
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.local)/' },
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
  },
};
