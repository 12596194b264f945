import type { Command } from 'commander';

/**
 * What the words after a command can be, beyond its options: fixed words, or the output of a
 * `ruleshift get ... -o name` asked at completion time (job ids, runtimes, pipelines).
 */
const ARGUMENT_WORDS: Record<string, string[]> = {
  get: ['words:jobs runtimes templates pipelines'],
  describe: ['words:job pipeline', 'by-kind'],
  start: ['jobs'],
  stop: ['jobs'],
  uninstall: ['jobs'],
  move: ['jobs'],
  deadletters: ['jobs'],
  completion: ['words:bash zsh'],
};

const OPTION_VALUES: Record<string, string> = {
  '-f': 'files',
  '--file': 'files',
  '-o': 'words:table json yaml name',
  '--output': 'words:table json yaml name',
  '--to': 'runtimes',
  '-s': 'none',
  '--server': 'none',
  '-t': 'none',
  '--token': 'none',
};

/**
 * A bash completion script generated from the program's own commands and options, so it
 * follows them; zsh runs the same function through bashcompinit.
 */
export function bashCompletion(program: Command): string {
  const name = program.name();
  const commands = program.commands.map((c) => c.name());
  const globalOptions = optionWords(program);
  const optionCases = program.commands
    .map((c) => `    ${c.name()}) options="${[...optionWords(c), ...globalOptions].join(' ')}" ;;`)
    .join('\n');
  const argumentCases = Object.entries(ARGUMENT_WORDS)
    .map(([command, positions]) => {
      const lines = positions.map((kind, i) => `        ${i + 2}) words=${wordsOf(kind, name)} ;;`);
      return `    ${command})\n      case $position in\n${lines.join('\n')}\n      esac ;;`;
    })
    .join('\n');
  const valueCases = Object.entries(OPTION_VALUES)
    .map(([option, kind]) =>
      kind === 'files'
        ? `    ${option}) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;`
        : `    ${option}) COMPREPLY=( $(compgen -W "${wordsOf(kind, name).slice(1, -1)}" -- "$cur") ); return ;;`,
    )
    .join('\n');
  return `# ${name} completion for bash: source <(${name} completion bash), or save it in
# /etc/bash_completion.d/${name}. Job ids, runtimes and pipelines are asked of the server.
_${name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local command="" position=0 word i
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      -s|--server|-t|--token|-o|--output|-f|--file|--to|--limit|-n|--count) (( i++ )) ;;
      -*) ;;
      *) if [[ -z "$command" ]]; then command="$word"; position=1; else (( position++ )); fi ;;
    esac
  done
  (( position++ ))
  case "$prev" in
${valueCases}
  esac
  if [[ -z "$command" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=( $(compgen -W "${globalOptions.join(' ')} --help --version" -- "$cur") )
    else
      COMPREPLY=( $(compgen -W "${commands.join(' ')}" -- "$cur") )
    fi
    return
  fi
  local options="" words=""
  case "$command" in
${optionCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$options --help" -- "$cur") )
    return
  fi
  case "$command" in
${argumentCases}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
complete -o default -F _${name}_complete ${name}
`;
}

export function zshCompletion(program: Command): string {
  const name = program.name();
  return `# ${name} completion for zsh: source <(${name} completion zsh) in ~/.zshrc (after compinit).
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program).replace(/^# .*\n# .*\n/, '')}`;
}

function optionWords(command: Command): string[] {
  return command.options.flatMap((o) => [o.short, o.long].filter((f): f is string => !!f));
}

/** A bash word list as a quoted expression; server lookups fail quietly (no server, no token). */
function wordsOf(kind: string, name: string): string {
  if (kind.startsWith('words:')) return `"${kind.slice(6)}"`;
  if (kind === 'jobs') return `"$(${name} get jobs -o name 2>/dev/null)"`;
  if (kind === 'runtimes') return `"$(${name} get runtimes -o name 2>/dev/null)"`;
  if (kind === 'by-kind') {
    return `"$(if [[ "\${COMP_WORDS[COMP_CWORD-1]}" == pipeline ]]; then ${name} get pipelines -o name; else ${name} get jobs -o name; fi 2>/dev/null)"`;
  }
  return '""';
}
