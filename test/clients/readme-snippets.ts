import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/processes';

/** A fenced block of the README marked `<!-- php-suite: NAME -->` on the line before it. */
const MARKED_PHP_BLOCK = /<!-- php-suite: ([\w-]+) -->\n```php\n([\s\S]*?)\n```/g;

/** The text of one `## ` section of a markdown document, its heading excluded. */
export function markdownSection(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`README has no "## ${heading}" section`);
  const bodyStart = start + heading.length + 5;
  const next = markdown.indexOf('\n## ', bodyStart);
  return markdown.slice(bodyStart, next === -1 ? undefined : next);
}

/** The README's marked PHP blocks of one section, by name, exactly as written there. */
export function markedPhpBlocks(markdown: string, heading: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of markdownSection(markdown, heading).matchAll(MARKED_PHP_BLOCK)) {
    if (blocks.has(match[1])) throw new Error(`two README blocks are marked php-suite: ${match[1]}`);
    blocks.set(match[1], match[2]);
  }
  return blocks;
}

/** How many ```php blocks a section has, marked or not. */
export function phpBlockCount(markdown: string, heading: string): number {
  return [...markdownSection(markdown, heading).matchAll(/^```php$/gm)].length;
}

/** README.md as it is in the checkout. */
export function readme(): string {
  return readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
}

/**
 * Writes the named blocks of README.md's "Laravel" section as NAME.php files in `dir` (only an
 * opening `<?php` tag is added) and returns their paths; a missing block fails the suite.
 */
export function writeLaravelSnippets(dir: string, names: readonly string[]): Record<string, string> {
  const blocks = markedPhpBlocks(readme(), 'Laravel');
  const paths: Record<string, string> = {};
  for (const name of names) {
    const code = blocks.get(name);
    if (code === undefined) throw new Error(`README's Laravel section has no block marked <!-- php-suite: ${name} -->`);
    paths[name] = join(dir, `${name}.php`);
    writeFileSync(paths[name], `<?php\n${code}\n`);
  }
  return paths;
}
