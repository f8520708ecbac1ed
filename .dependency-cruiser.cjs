/**
 * The dependency rule (`npm run check:deps`, run in CI): code in src/ imports
 * only downward. The arrows are written once, as the layers below, top to
 * bottom; every forbidden rule is generated from them. docs/architecture.md
 * explains each layer.
 *
 * A unit is a folder of src/ (`auth`) or a file at its root (`config` for
 * src/config.ts). A unit may import itself and any unit of a lower layer;
 * never one of a higher layer, never another unit of its own layer.
 */
const LAYERS = [
  ['cli', 'main'],
  // Assembly: the only place that knows every feature.
  ['app'],
  // Composes the configuration types the layers below define themselves.
  ['config'],
  // Features, side by side and apart.
  // `console` serves the browser console's built files and the home page (no service of its own).
  ['accesskeys', 'verification', 'leaks', 'webhooks', 'console'],
  // Who is calling, and may they: authenticator, cache, permissions, sessions, login.
  ['auth'],
  // A key's usage policy: the one decision (IP, rate limit, credits) auth and verification ask, and usage analytics.
  ['policy'],
  // The key core and the agents auth reads.
  ['agents', 'keys'],
  ['audit'],
  // The GraphQL kit may use the HTTP kit, not the reverse.
  ['graphql'],
  ['http', 'customers'],
  ['db', 'pagination', 'validation', 'context'],
  ['scopes', 'time', 'errors', 'observability'],
];

const UNITS = LAYERS.flat();

/** The modules of some units: a folder of src/, or a file at its root. */
const modulesOf = (units) => `^src/(${units.join('|')})(/|[.]ts$)`;

const layerRules = LAYERS.flatMap((layer, depth) => {
  const above = LAYERS.slice(0, depth).flat();
  return [
    ...(above.length === 0
      ? []
      : [
          {
            name: `no-upward:${layer.join(',')}`,
            comment: `${layer.join(', ')} may not import ${above.join(', ')} (a higher layer). Invert it: define a small interface here and let the layer above implement it, wired in app/.`,
            severity: 'error',
            from: { path: modulesOf(layer) },
            to: { path: modulesOf(above) },
          },
        ]),
    ...(layer.length > 1 ? layer : []).map((unit) => ({
      name: `no-sideways:${unit}`,
      comment: `${unit} may not import ${layer.filter((u) => u !== unit).join(', ')} (the same layer). Move what both need down a layer.`,
      severity: 'error',
      from: { path: modulesOf([unit]) },
      to: { path: modulesOf(layer.filter((u) => u !== unit)) },
    })),
  ];
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'in-a-layer',
      comment: 'Every folder of src/ and every file at its root has a place in LAYERS (.dependency-cruiser.cjs); add a new one there.',
      severity: 'error',
      from: { path: '^src/', pathNot: modulesOf(UNITS) },
      to: {},
    },
    {
      name: 'into-a-layer',
      comment: 'Every folder of src/ and every file at its root has a place in LAYERS (.dependency-cruiser.cjs); add a new one there.',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: modulesOf(UNITS) },
    },
    {
      name: 'migrations-from-db',
      comment: 'The migrations are applied by db/ (and listed by app/), nowhere else in src/.',
      severity: 'error',
      from: { path: '^src/', pathNot: modulesOf(['db', 'app']) },
      to: { path: '^migrations/' },
    },
    {
      name: 'no-folder-cycle',
      comment: 'Folders of src/ may not import each other round in a cycle.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      comment: 'No module may reach itself through its imports, types included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` is a dependency too: the layers hold for types as for code.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
