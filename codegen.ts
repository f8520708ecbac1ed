import type { CodegenConfig } from '@graphql-codegen/cli';

// RFC 3339 strings on the wire.
const scalars = { DateTime: 'string', JSONObject: 'Record<string, unknown>' };

/**
 * GraphQL Code Generator: typed documents from the committed schema, for the example operations in
 * examples/graphql/ (examples/generated/graphql/) and for the console's in console/src/
 * (console/src/generated/, as plain strings so the bundle needs no GraphQL parser).
 * `npm run codegen` writes both; a test checks they are current.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  generates: {
    'examples/generated/graphql/': {
      documents: ['examples/graphql/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars, enumsAsTypes: true, useTypeImports: true },
    },
    'console/src/generated/': {
      documents: ['console/src/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { scalars, enumsAsTypes: true, useTypeImports: true, documentMode: 'string' },
    },
  },
};

export default config;
