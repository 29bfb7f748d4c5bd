namespace Mediary.Cli;

/// <summary>
/// Shell completion through System.CommandLine's <c>[suggest]</c> directive: the script asks the
/// executable itself what may come next, so it always matches the commands and options it has.
/// </summary>
public static class CompletionScripts
{
    public static string For(string shell) => shell == "zsh" ? Zsh : Bash;

    private const string Bash = """
        # mediary completion for bash: source <(mediary completion bash)
        _mediary_complete() {
          local IFS=$'\n'
          COMPREPLY=($(compgen -W "$(mediary "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _mediary_complete mediary

        """;

    private const string Zsh = """
        # mediary completion for zsh: source <(mediary completion zsh)
        _mediary_complete() {
          local -a candidates
          candidates=("${(@f)$(mediary "[suggest:${#BUFFER}]" "$BUFFER" 2>/dev/null)}")
          compadd -- $candidates
        }
        compdef _mediary_complete mediary

        """;
}
