// GraphQL Code Generator: types every operation in src/ against the
// server's schema (the same files gqlgen reads). An operation the schema
// no longer allows fails the build.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: ['../schema.graphqls', '../graph/ent.graphqls'],
  documents: ['src/**/*.ts', 'src/**/*.tsx', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { ID: 'string', Time: 'string', Cursor: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
