/**
 * AMQP topic binding match: words separated by '.', `*` matches exactly one word, `#` matches
 * zero or more words.
 */
export function compileTopicPattern(pattern: string): (routingKey: string) => boolean {
  const words = pattern.split('.');
  if (!words.some((w) => w === '*' || w === '#')) return (key) => key === pattern;
  return (key) => matchWords(words, 0, key.split('.'), 0);
}

function matchWords(pattern: string[], pi: number, key: string[], ki: number): boolean {
  while (pi < pattern.length) {
    const word = pattern[pi];
    if (word === '#') {
      if (pi === pattern.length - 1) return true;
      for (let k = ki; k <= key.length; k++) {
        if (matchWords(pattern, pi + 1, key, k)) return true;
      }
      return false;
    }
    if (ki >= key.length) return false;
    if (word !== '*' && word !== key[ki]) return false;
    pi++;
    ki++;
  }
  return ki === key.length;
}
