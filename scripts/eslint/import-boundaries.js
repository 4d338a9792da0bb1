// A local ESLint rule for the folder boundaries of docs/architecture.md. It resolves each relative import to a
// path under the repository and checks it against the policy passed as options (in eslint.config.js), so the
// policy reads as a table of folders rather than as glob patterns over import strings. Imports here are always
// relative (no path aliases), which is what makes resolving them this simple.
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const extensions = /\.(ts|tsx|js|mjs)$/;

/** "src/web/files/api/items" for any spelling of an import of src/web/files/api/items.ts. */
function resolveImport(filename, specifier) {
  const absolute = path.resolve(path.dirname(filename), specifier);
  return path.relative(root, absolute).split(path.sep).join('/').replace(extensions, '');
}

function isUnder(file, folder) {
  return file === folder || file.startsWith(`${folder}/`);
}

/** `import type {A} from` or `import {type A, type B} from`: erased at build time. */
function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
export const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports within the folder boundaries of docs/architecture.md' },
    schema: [{ type: 'object', additionalProperties: true }],
  },
  create(context) {
    /**
     * @type {{
     *   closed?: { folder: string, why: string }[],
     *   forbidden?: { from: string, to: string[], allowTypeImports?: boolean, why: string }[],
     *   features?: { root: string, names: string[], publicSurface: string[] },
     *   exceptions?: { from: string, to: string, why: string }[],
     * }}
     */
    const policy = context.options[0] ?? {};
    const importer = path.relative(root, context.filename).split(path.sep).join('/').replace(extensions, '');

    const featureOf = (target) => {
      const f = policy.features;
      if (!f) return undefined;
      return f.names.find((name) => isUnder(target, `${f.root}/${name}`));
    };
    const isPublic = (target, feature) => {
      const base = `${policy.features.root}/${feature}`;
      return policy.features.publicSurface.some((entry) =>
        entry.endsWith('/') ? target.startsWith(`${base}/${entry}`) : target === `${base}/${entry}`,
      );
    };

    function check(node, specifier) {
      const excepted = (target) =>
        (policy.exceptions ?? []).some((e) => e.from === importer && e.to === target);

      for (const c of policy.closed ?? []) {
        if (!isUnder(importer, c.folder)) continue;
        const target = specifier.startsWith('.') ? resolveImport(context.filename, specifier) : specifier;
        if (!specifier.startsWith('.') || !isUnder(target, c.folder)) {
          if (!excepted(target))
            context.report({
              node,
              message: `${c.folder} imports nothing outside itself (${c.why}); found '${specifier}'.`,
            });
          return;
        }
      }

      if (!specifier.startsWith('.')) return;
      const target = resolveImport(context.filename, specifier);
      if (excepted(target)) return;

      for (const rule of policy.forbidden ?? []) {
        if (!isUnder(importer, rule.from)) continue;
        const hit = rule.to.find((folder) => isUnder(target, folder));
        if (hit === undefined || (rule.allowTypeImports && isTypeOnly(node))) continue;
        context.report({
          node,
          message: `${rule.from} must not import ${hit} (${rule.why}); found '${specifier}'.`,
        });
        return;
      }

      const from = featureOf(importer);
      const to = featureOf(target);
      if (from !== undefined && to !== undefined && from !== to && !isPublic(target, to)) {
        context.report({
          node,
          message: `The ${from} feature imports ${to}'s internals ('${specifier}'); features import each other only through ${policy.features.publicSurface.join(', ')}.`,
        });
      }
    }

    const withSource = (node) => {
      if (node.source && typeof node.source.value === 'string') check(node, node.source.value);
    };
    return {
      ImportDeclaration: withSource,
      ExportNamedDeclaration: withSource,
      ExportAllDeclaration: withSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal' && typeof node.source.value === 'string')
          check(node, node.source.value);
      },
    };
  },
};
