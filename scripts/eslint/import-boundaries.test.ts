// Guards the folder-boundary lint rule: what it refuses and what it lets through (type imports, public surfaces,
// named exceptions).
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { importBoundaries } from './import-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;

const root = path.resolve(import.meta.dirname, '../..');
const at = (file: string) => path.join(root, file);
const options = [
  {
    closed: [{ folder: 'src/contract', why: 'shared' }],
    forbidden: [
      { from: 'src/server/http', to: ['src/server/stores'], allowTypeImports: true, why: 'services only' },
      { from: 'src/web/components', to: ['src/web/files'], why: 'no features' },
    ],
    features: { root: 'src/web', names: ['files', 'folders'], publicSurface: ['api/', 'api', 'index'] },
    exceptions: [{ from: 'src/web/files/browser', to: 'src/web/folders/breadcrumb' }],
  },
];

new RuleTester({ languageOptions: { parser: tseslint.parser } }).run('import-boundaries', importBoundaries, {
  valid: [
    { filename: at('src/contract/types.ts'), code: "import type { A } from './enums.ts';", options },
    { filename: at('src/server/http/a.ts'), code: "import type { R } from '../stores/schema.ts';", options },
    { filename: at('src/server/http/a.ts'), code: "import { type R } from '../stores/schema.ts';", options },
    { filename: at('src/web/files/a.tsx'), code: "import { q } from '../folders/api/folders.ts';", options },
    { filename: at('src/web/files/api/a.ts'), code: "import { q } from '../../folders/index';", options },
    {
      filename: at('src/web/files/browser.tsx'),
      code: "import { B } from '../folders/breadcrumb';",
      options,
    },
    { filename: at('src/web/files/a.tsx'), code: "import { s } from './selection.ts';", options },
  ],
  invalid: [
    { filename: at('src/contract/a.ts'), code: "import { z } from 'zod';", options, errors: 1 },
    {
      filename: at('src/contract/a.ts'),
      code: "import { E } from '../server/errors.ts';",
      options,
      errors: 1,
    },
    {
      filename: at('src/server/http/a.ts'),
      code: "import { S } from '../stores/metadata-store.ts';",
      options,
      errors: 1,
    },
    {
      filename: at('src/server/http/a.ts'),
      code: "export * from '../stores/schema.ts';",
      options,
      errors: 1,
    },
    {
      filename: at('src/web/components/a.tsx'),
      code: "import { q } from '../files/api/files.ts';",
      options,
      errors: 1,
    },
    {
      filename: at('src/web/files/a.tsx'),
      code: "import { B } from '../folders/breadcrumb';",
      options,
      errors: 1,
    },
    {
      filename: at('src/web/folders/a.tsx'),
      code: "const m = import('../files/drag.tsx');",
      options,
      errors: 1,
    },
  ],
});
