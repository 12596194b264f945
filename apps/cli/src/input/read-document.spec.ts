import { UsageError } from '../api/api-failure';
import { parseDocument, readDocument, requireObject } from './read-document';

describe('readDocument', () => {
  it('reads YAML, and JSON as YAML when the name does not say', () => {
    expect(parseDocument('a: 1\nb: [x, y]\n', 'rule.yaml')).toEqual({ a: 1, b: ['x', 'y'] });
    expect(parseDocument('{"a": 1}', 'rule')).toEqual({ a: 1 });
    expect(parseDocument('[{"t": 1}, {"t": 2}]', '-')).toEqual([{ t: 1 }, { t: 2 }]);
  });

  it('names the file and the line of a YAML problem', () => {
    expect(() => parseDocument('a: 1\nb: [x\n', 'rule.yaml')).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^-f rule\.yaml: not valid YAML \(line \d+: /),
      }),
    );
  });

  it('parses .json strictly as JSON', () => {
    expect(() => parseDocument('a: 1', 'rule.json')).toThrow(/^-f rule\.json: not valid JSON/);
  });

  it('refuses an empty document, a missing file and a document that is no object', async () => {
    expect(() => parseDocument('  \n', 'x.yaml')).toThrow('-f x.yaml: the file is empty');
    await expect(readDocument('/nonexistent/rule.yaml')).rejects.toThrow(
      '-f /nonexistent/rule.yaml: no such file',
    );
    await expect(readDocument('-', async () => '[1]')).resolves.toEqual([1]);
    expect(() => requireObject([1], 'x.yaml')).toThrow(UsageError);
    expect(() => requireObject('text', 'x.yaml')).toThrow('-f x.yaml: must hold one object');
  });
});
