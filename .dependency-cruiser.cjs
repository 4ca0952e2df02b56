/**
 * Enforces the dependency direction of ../shared/spec/architecture.md §1:
 *   apps/* -> core, transports, simulator
 *   transport-* -> @kakunin/core/transport only
 *   simulator -> @kakunin/core
 *   core: jpki -> iso7816 -> transport ; jpki -> x509 -> der ; der and x509 never do I/O
 *   nothing in packages/ imports an app.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'packages-never-import-apps',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/|node_modules/@kakunin/(cli|reception)' },
    },
    {
      name: 'transports-only-core-transport',
      comment: 'A transport package may use @kakunin/core/transport and nothing else of kakunin.',
      severity: 'error',
      from: { path: '^packages/transport-[^/]+/src/', pathNot: '\\.(test|bench)\\.ts$' },
      to: {
        path: '(^packages/(core/src/(?!transport/)|simulator|transport-)|node_modules/@kakunin/(simulator|transport-))',
        pathNot: '^packages/transport-[^/]+/',
      },
    },
    {
      name: 'core-transport-is-the-bottom',
      severity: 'error',
      from: { path: '^packages/core/src/transport/' },
      to: { path: '^packages/core/src/(iso7816|der|x509|jpki|remedies)/' },
    },
    {
      name: 'iso7816-below-jpki-and-x509',
      severity: 'error',
      from: { path: '^packages/core/src/iso7816/' },
      to: { path: '^packages/core/src/(der|x509|jpki)/' },
    },
    {
      name: 'der-is-pure',
      comment: 'der depends on nothing but transport errors, and does no I/O.',
      severity: 'error',
      from: { path: '^packages/core/src/der/', pathNot: '\\.(test|bench)\\.ts$' },
      to: {
        path: '(^packages/core/src/(iso7816|x509|jpki)/)|^(fs|net|http|https|tls|dgram|child_process|node:(fs|net|http|https|tls|dgram|child_process))',
      },
    },
    {
      name: 'x509-no-io-no-card',
      severity: 'error',
      from: { path: '^packages/core/src/x509/', pathNot: '\\.(test|bench)\\.ts$' },
      to: {
        path: '(^packages/core/src/(iso7816|jpki)/)|^(fs|net|http|https|tls|dgram|child_process|node:(fs|net|http|https|tls|dgram|child_process))',
      },
    },
    {
      name: 'core-never-imports-other-packages',
      severity: 'error',
      from: { path: '^packages/core/src/', pathNot: '\\.(test|bench)\\.ts$' },
      to: { path: '(^packages/(?!core/))|node_modules/@kakunin/' },
    },
    {
      name: 'simulator-not-transports',
      severity: 'error',
      from: { path: '^packages/simulator/src/', pathNot: '\\.(test|bench)\\.ts$' },
      to: { path: '^packages/transport-|node_modules/@kakunin/transport-' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|coverage|\\.turbo)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    combinedDependencies: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'default'] },
  },
};
