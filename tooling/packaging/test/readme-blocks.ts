/** The ```ts code blocks of a Markdown file, with the line each starts on. */
export interface CodeBlock {
  readonly line: number;
  readonly code: string;
}

export function tsBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The bare package names a block imports (`@scope/name` or `name`, without subpaths). */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/\b(?:from|import)\s+'([^'.][^']*)'/g)) {
    const parts = match[1].split('/');
    names.add(match[1].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names];
}
