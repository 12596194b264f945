import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UsageError } from '../api/api-failure';

/**
 * The document a `-f` option names, as data: `.json` is parsed as JSON, `.yaml`/`.yml` as YAML,
 * anything else (and `-`, standard input) as YAML, of which JSON is a subset. A problem is a
 * UsageError naming the file, with the line when the parser knows it.
 */
export async function readDocument(
  path: string,
  readStdin: () => Promise<string> = readAllStdin,
): Promise<unknown> {
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`-f ${path}`, code === 'ENOENT' ? 'no such file' : String(error));
  }
  return parseDocument(text, path);
}

export function parseDocument(text: string, name: string): unknown {
  if (text.trim() === '') throw new UsageError(`-f ${name}`, 'the file is empty');
  if (extname(name).toLowerCase() === '.json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`-f ${name}`, `not valid JSON (${(error as Error).message})`);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: false });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = text.slice(0, error.pos[0]).split('\n').length;
      const where = `line ${line}: `;
      throw new UsageError(`-f ${name}`, `not valid YAML (${where}${firstLine(error.message)})`);
    }
    throw error;
  }
}

/** The document must be a JSON object (an installation, a pipeline). */
export function requireObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`-f ${name}`, 'must hold one object');
  }
  return value as Record<string, unknown>;
}

const firstLine = (text: string) => text.split('\n')[0];

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
