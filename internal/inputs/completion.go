package inputs

import (
	"fmt"
	"io"
	"strings"

	"github.com/codespaces-org-secrets/codespaces-org-secrets/internal/secret"
)

// Shells are the shells Completion writes a script for.
var Shells = []string{"bash", "zsh", "fish"}

// Completion writes the completion script of shell ("bash", "zsh" or
// "fish"): the operations as the first word, each operation's flags (see
// Takes), the visibilities after --visibility and files after the flags
// that take a path. It is built from the tables of operations and inputs.
// It returns false for a shell it does not know.
func Completion(w io.Writer, shell string) bool {
	var b strings.Builder
	switch shell {
	case "bash":
		bashCompletion(&b)
	case "zsh":
		zshCompletion(&b)
	case "fish":
		fishCompletion(&b)
	default:
		return false
	}
	_, _ = io.WriteString(w, b.String())
	return true
}

// opFlags returns the flags op takes, with "--", for completion.
func opFlags(op Operation) []string {
	var out []string
	for _, name := range flagNames() {
		if Takes(op, name) && name != "version" && name != "demo" {
			out = append(out, "--"+name)
		}
	}
	return out
}

// pathFlags take a file's path.
var pathFlags = []string{"--manifest", "--" + EnvFileFlag}

func visibilityWords() string {
	words := make([]string, len(secret.Visibilities))
	for i, v := range secret.Visibilities {
		words[i] = string(v)
	}
	return strings.Join(words, " ")
}

func operationWords() string { return strings.Join(operationNames(), " ") }

func bashCompletion(b *strings.Builder) {
	fn := "_" + strings.ReplaceAll(commandName, "-", "_")
	fmt.Fprintf(b, "# bash completion for %s: source <(%s completion bash)\n", commandName, commandName)
	fmt.Fprintf(b, "%s() {\n", fn)
	b.WriteString("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" flags\n")
	b.WriteString("    case \"$prev\" in\n")
	fmt.Fprintf(b, "        --visibility) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", visibilityWords())
	fmt.Fprintf(b, "        %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", strings.Join(pathFlags, "|"))
	b.WriteString("    esac\n")
	b.WriteString("    if [[ $COMP_CWORD -eq 1 && \"$cur\" != -* ]]; then\n")
	fmt.Fprintf(b, "        COMPREPLY=($(compgen -W %q -- \"$cur\")); return\n", operationWords()+" help completion")
	b.WriteString("    fi\n")
	b.WriteString("    case \"${COMP_WORDS[1]}\" in\n")
	fmt.Fprintf(b, "        completion) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", strings.Join(Shells, " "))
	for _, op := range Operations {
		fmt.Fprintf(b, "        %s) flags=%q ;;\n", op, strings.Join(opFlags(op), " "))
	}
	fmt.Fprintf(b, "        *) flags=%q ;;\n", "--"+strings.Join(flagNames(), " --"))
	b.WriteString("    esac\n")
	b.WriteString("    COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n")
	b.WriteString("}\n")
	fmt.Fprintf(b, "complete -o default -F %s %s\n", fn, commandName)
}

func zshCompletion(b *strings.Builder) {
	fn := "_" + strings.ReplaceAll(commandName, "-", "_")
	fmt.Fprintf(b, "#compdef %s\n# zsh completion for %s: source <(%s completion zsh)\n", commandName, commandName, commandName)
	fmt.Fprintf(b, "%s() {\n", fn)
	b.WriteString("    local -a flags\n")
	b.WriteString("    if (( CURRENT == 2 )) && [[ $words[CURRENT] != -* ]]; then\n")
	fmt.Fprintf(b, "        compadd -- %s help completion; return\n", operationWords())
	b.WriteString("    fi\n")
	b.WriteString("    case $words[CURRENT-1] in\n")
	fmt.Fprintf(b, "        --visibility) compadd -- %s; return ;;\n", visibilityWords())
	fmt.Fprintf(b, "        %s) _files; return ;;\n", strings.Join(pathFlags, "|"))
	b.WriteString("    esac\n")
	b.WriteString("    case $words[2] in\n")
	fmt.Fprintf(b, "        completion) compadd -- %s; return ;;\n", strings.Join(Shells, " "))
	for _, op := range Operations {
		fmt.Fprintf(b, "        %s) flags=(%s) ;;\n", op, strings.Join(opFlags(op), " "))
	}
	fmt.Fprintf(b, "        *) flags=(--%s) ;;\n", strings.Join(flagNames(), " --"))
	b.WriteString("    esac\n")
	b.WriteString("    compadd -- $flags\n")
	b.WriteString("}\n")
	fmt.Fprintf(b, "compdef %s %s\n", fn, commandName)
}

func fishCompletion(b *strings.Builder) {
	c := "complete -c " + commandName
	fmt.Fprintf(b, "# fish completion for %s: %s completion fish | source\n", commandName, commandName)
	b.WriteString(c + " -f\n")
	for _, op := range Operations {
		fmt.Fprintf(b, "%s -n __fish_use_subcommand -a %s -d %s\n", c, op, fishQuote(OperationSummaries[op]))
	}
	fmt.Fprintf(b, "%s -n __fish_use_subcommand -a completion -d %s\n", c, fishQuote("Print a shell completion script."))
	fmt.Fprintf(b, "%s -n '__fish_seen_subcommand_from completion' -a %s\n", c, fishQuote(strings.Join(Shells, " ")))
	for _, name := range flagNames() {
		if name == "version" || name == "demo" {
			continue
		}
		var ops []string
		for _, op := range Operations {
			if Takes(op, name) {
				ops = append(ops, string(op))
			}
		}
		if len(ops) == 0 {
			continue
		}
		line := fmt.Sprintf("%s -n %s -l %s", c, fishQuote("__fish_seen_subcommand_from "+strings.Join(ops, " ")), name)
		switch in, _ := inputNamed(name); {
		case name == "visibility":
			line += " -x -a " + fishQuote(visibilityWords())
		case "--"+name == pathFlags[0] || "--"+name == pathFlags[1]:
			line += " -r -F"
		case in.Name != "" && !in.Bool:
			line += " -x"
		}
		b.WriteString(line + "\n")
	}
}

// fishQuote quotes s for fish, in single quotes.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
