import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator: typed documents for the example operations in examples/graphql/, from the
 * committed schema. `npm run codegen` writes examples/generated/graphql/; a test checks it is current.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/graphql/*.graphql'],
  generates: {
    'examples/generated/graphql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // RFC 3339 strings on the wire.
        scalars: { DateTime: 'string', JSONObject: 'Record<string, unknown>' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
