/**
 * Every ```ts example of the READMEs (root, core, js) compiles under `strict` against the
 * installed tarballs. Packages the examples import that are not ours (the test runner of the
 * conformance example, the peers of the interop recipes) are linked from the workspace, and the
 * backend a "write your own backend" example imports from `../src/index.js` is the js backend.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { linkFromWorkspace, writeTsconfig } from './consumer-project.js';
import { tsc } from './node.js';
import { importedPackages, tsBlocks } from './readme-blocks.js';
import { workspace } from './workspace.js';

const consumer = inject('consumer');
const readmes = ['README.md', 'packages/core/README.md', 'packages/js/README.md'];

const examples = readmes.flatMap((readme) =>
  tsBlocks(readFileSync(join(workspace, readme), 'utf8')).map((block, index) => ({
    readme,
    ...block,
    file: join(consumer, 'readme', `${readme.replaceAll('/', '-').replace(/\.md$/, '')}-${index + 1}.ts`),
  })),
);

let diagnostics = '';

beforeAll(() => {
  mkdirSync(join(consumer, 'readme'), { recursive: true });
  mkdirSync(join(consumer, 'src'), { recursive: true });
  writeFileSync(
    join(consumer, 'src', 'index.ts'),
    "export { jsBackend as myBackend } from '@softmax-kit/js';\n",
  );
  for (const { code, file } of examples) {
    // Each example is its own module, as it is in a user's file.
    writeFileSync(file, `${code}\nexport {};\n`);
    for (const name of importedPackages(code)) {
      if (!name.startsWith('@softmax-kit/')) linkFromWorkspace(consumer, name);
    }
  }
  const tsconfig = writeTsconfig(
    consumer,
    'tsconfig.readme.json',
    { module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], skipLibCheck: true },
    examples.map((e) => e.file),
  );
  diagnostics = tsc(tsconfig).output;
});

describe('README examples compile under strict against the installed tarballs', () => {
  it('the READMEs have examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });
  for (const { readme, line, file } of examples) {
    it(`${readme}, the example at line ${line}`, () => {
      const own = diagnostics.split('\n').filter((l) => l.startsWith(relative(consumer, file)));
      expect(own).toEqual([]);
    });
  }
  it('and nothing else reports an error', () => {
    expect(diagnostics).toBe('');
  });
});
