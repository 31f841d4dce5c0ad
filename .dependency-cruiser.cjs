/**
 * The layering rule of src/ (issue 10 item 7), checked by `npm run lint` and in CI before the tests.
 *
 * A module may import its own layer and the layers below it, never one above. Lowest first:
 *
 *   0  platform   config, database (connection token, embedded server)   no domain knowledge
 *   1  kernel     src/kernel: engine, cases, case index, due sweeper, calendar, attachments,
 *                 settings registry, outbox, safe outbound HTTP, auth, errors   imports no module
 *   2  foundation auth, staff, shops, tasks, carriers (the carrier directory), health, events
 *                 (outbound signed events: any module above publishes through them)
 *   3  orders, attribution (订单归属: agents' contacts with order customers)
 *   4  logistics, refunds            (a parcel or a refund belongs to an order)
 *   5  case modules: returns, claims, reviews, complaints, follow-ups; audits (审单失误 findings)
 *   6  adapters: webhooks (inbound platform/carrier adapters)
 *                 they translate the outside world into calls of the modules below
 *   7  read models: reports, worklist   (read across every module)
 *   8  composition: app.ts, app.module.ts, console-static.ts (serves the built console), main.ts, openapi.ts (the document without a database),
 *                 the entity/migration lists in src/database, and client/ (the typed API client)
 *
 * Cross-module needs that point upwards go through a port the lower module owns and the upper
 * one fills at start (e.g. orders' OrderShipmentsPort, provided by logistics; refunds'
 * RefundSourceRegistry, filled by returns), or through the kernel (case index, settings).
 * A module of the same layer may import another of it; cycles between modules are refused.
 */
const LAYERS = [
  ['platform', ['config', 'database/(database\\.module|database\\.tokens|embedded-postgres|postmaster-lock)\\.ts']],
  ['kernel', ['kernel']],
  ['foundation', ['auth', 'staff', 'shops', 'tasks', 'carriers', 'health', 'events']],
  ['orders', ['orders', 'attribution']],
  ['fulfilment', ['logistics', 'refunds']],
  ['cases', ['returns', 'claims', 'reviews', 'complaints', 'follow-ups', 'audits']],
  ['adapters', ['webhooks']],
  ['read-models', ['reports', 'worklist']],
  ['composition', ['app\\.ts', 'app\\.module\\.ts', 'console-static\\.ts', 'main\\.ts', 'openapi\\.ts', 'client', 'database/(entities|data-source|cli-data-source|migrate)\\.ts']],
];

/** `^src/(a|b/c\.ts)(/|$)`: the files of a layer's modules. */
const pathOf = (names) => `^src/(${names.join('|')})(/|$)`;

const layerRules = LAYERS.slice(0, -1).map(([name, names], i) => ({
  name: `layer-${name}`,
  comment: `${name} (${names.join(', ')}) may not import a layer above it: ${LAYERS.slice(i + 1).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path: pathOf(names) },
  to: { path: pathOf(LAYERS.slice(i + 1).flatMap(([, n]) => n)) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-file-in-a-layer',
      comment: 'A new folder under src/ must be given a layer in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: pathOf(LAYERS.flatMap(([, n]) => n)) },
      to: {},
    },
    {
      name: 'no-circular-modules',
      comment: 'An import cycle that passes through another module: same-layer modules (logistics and refunds, returns and claims) must not import each other in a circle',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, pathNot: '^src/$1/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'A relative import the checker cannot follow would hide its layer (packages: tsc checks those)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^[.]' },
    },
    {
      name: 'src-not-to-test',
      comment: 'The application never imports test support code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
