import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Lua script of packages/jobs/lua (one file each, with a header giving its KEYS, ARGV and
 * output, as BullMQ lays out its own). Read once, when the module that uses it loads.
 */
export function luaScript(name: string): string {
  return readFileSync(join(__dirname, '..', 'lua', `${name}.lua`), 'utf8');
}
