import { readFileSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Puts each GraphQL document into the module that declares it, so that each area's documents travel in that area's
 * chunk and the initial JavaScript holds only the shell's and the dashboard's.
 *
 * GraphQL Code Generator's client preset writes every document of the console into src/gql/graphql.ts (one module)
 * and a `graphql(source)` function whose map (src/gql/gql.ts) names them all: whatever imports `graphql` — the shell
 * does — brings every area's documents into the main chunk, and a bundler keeps a module whole in one chunk. Here,
 * at build (and in `vite dev`), each `graphql(`…`)` call in src/ becomes the very object codegen generated for that
 * source (the same AST with __typename, the same `__meta__.hash` as in persisted-documents.json, which the host
 * registers), and src/gql/ is marked free of side effects, so the unused map is dropped. The types are untouched:
 * tsc checks the sources with codegen's typed `graphql()` overloads as before.
 *
 * An area declares its documents as before: `graphql(`query Name … `)` imported from src/gql, a plain template
 * literal (no `${…}`; fragments are spread by name). A call whose text codegen did not see fails the build.
 */
export function inlineGraphqlDocuments(root: string): Plugin {
  const gqlDirectory = resolve(root, 'src/gql') + sep;
  const mapFile = resolve(gqlDirectory, 'gql.ts');
  const documentsFile = resolve(gqlDirectory, 'graphql.ts');
  let cache: { stamp: string; bySource: Map<string, string> } | null = null;

  /** source text (as in the graphql() call) → the generated document's JSON, read again when codegen ran again. */
  function documents(): Map<string, string> {
    const stamp = [mapFile, documentsFile].map((f) => statSync(f).mtimeMs).join('/');
    if (cache?.stamp === stamp) {
      return cache.bySource;
    }
    const json = new Map<string, string>();
    for (const match of readFileSync(documentsFile, 'utf8').matchAll(/^export const (\w+) = (\{.*\}) as unknown as DocumentNode</gm)) {
      json.set(match[1]!, match[2]!);
    }
    const map = readFileSync(mapFile, 'utf8');
    const start = map.indexOf('const documents: Documents = {');
    const end = map.indexOf('\n};', start);
    if (start < 0 || end < 0) {
      throw new Error(`${mapFile}: no "const documents" map (did GraphQL Code Generator's output change?)`);
    }
    const bySource = new Map<string, string>();
    for (const match of map.slice(start, end).matchAll(/^\s+("(?:[^"\\]|\\.)*"): types\.(\w+),$/gm)) {
      const document = json.get(match[2]!);
      if (!document) {
        throw new Error(`${documentsFile}: ${match[2]} is not there`);
      }
      bySource.set(JSON.parse(match[1]!) as string, document);
    }
    cache = { stamp, bySource };
    return bySource;
  }

  return {
    name: 'omct-inline-graphql-documents',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (file.startsWith(gqlDirectory)) {
        // The generated map and documents: nothing in them runs for its effect; what no call names is left out.
        return { code, map: null, moduleSideEffects: false };
      }
      if (!/\.tsx?$/.test(file) || file.includes(`${sep}node_modules${sep}`) || !code.includes('graphql(')) {
        return null;
      }
      const bySource = documents();
      let count = 0;
      const out = code.replace(/\bgraphql\(\s*`([^`]*)`\s*\)/g, (_call, source: string) => {
        if (source.includes('${') || source.includes('\\')) {
          this.error(`${file}: a graphql() document must be a plain template literal (no \${…}, no escapes)`);
        }
        const document = bySource.get(source);
        if (!document) {
          this.error(`${file}: a graphql() document that GraphQL Code Generator did not generate — run npm run codegen`);
        }
        count++;
        return `(${document})`;
      });
      return count > 0 ? { code: out, map: null } : null;
    },
  };
}

/**
 * index.html preloads the console's own chunk (src/start.tsx) and the chunks it imports: main.tsx, the entry, is small
 * and imports it dynamically (after starting the first requests), and without this the browser would ask for the
 * largest files only once the entry has arrived and run — one more round trip on a slow connection. The entry's
 * script is made async, so that it starts those requests as soon as it has arrived.
 */
export function preloadConsoleChunk(moduleSuffix: string): Plugin {
  let base = '/';
  return {
    name: 'omct-preload-console-chunk',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const bundle = context.bundle;
        if (!bundle) {
          return html;
        }
        const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
        const start = chunks.find((chunk) => chunk.facadeModuleId?.endsWith(moduleSuffix));
        if (!start) {
          throw new Error(`preloadConsoleChunk: no chunk for ${moduleSuffix}`);
        }
        const files = new Set<string>();
        const add = (fileName: string) => {
          if (files.has(fileName)) {
            return;
          }
          files.add(fileName);
          const chunk = bundle[fileName];
          if (chunk?.type === 'chunk') {
            chunk.imports.forEach(add);
          }
        };
        add(start.fileName);
        // The entry is async: it runs as soon as it has arrived, without waiting for the stylesheet (a parser-inserted
        // module script waits for the style sheets before it); start.tsx waits for them before it renders.
        const entry = /<script type="module" crossorigin src="([^"]+)"><\/script>/;
        if (!entry.test(html)) {
          throw new Error('preloadConsoleChunk: no entry <script type="module" crossorigin src="…"> in index.html');
        }
        return {
          html: html.replace(entry, '<script type="module" async crossorigin src="$1"></script>'),
          tags: [...files].map((fileName) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${fileName}` },
            injectTo: 'head' as const,
          })),
        };
      },
    },
  };
}
