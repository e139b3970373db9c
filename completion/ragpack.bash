# bash completion for ragpack(1); installed by `make install` in
# $(PREFIX)/share/bash-completion/completions/ragpack. The option lists
# follow `ragpack COMMAND --help` (tests/integration/cli.sh checks them).
_ragpack()
{
    local cur prev cmd opts
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build check trend batch import-ees --help --version" -- "$cur"))
        return 0
    fi
    cmd=${COMP_WORDS[1]}
    case $cmd in
    build)  opts="-t --template -i --input -p --period -o --output -f --fonts --committee --meeting-date --title --chart-files -h --help" ;;
    check)  opts="-t --template -i --input -p --period -o --output -f --fonts --committee --meeting-date --title --chart-files -j --json -h --help" ;;
    trend)  opts="-m --measure -a --service-area -i --input -t --template -p --period -y --years -b --by -o --output --pdf -f --fonts --force --chart-files -h --help" ;;
    batch)  opts="-j --jobs -s --shard --force -l --log --state -n --dry-run -h --help" ;;
    import-ees) opts="-l --la -c --column -m --measure --title -a --service-area -u --unit --polarity --annual --year-ends --neighbours --filter -o --output -h --help" ;;
    *) return 0 ;;
    esac
    case $prev in
    -t|--template)
        COMPREPLY=($(compgen -f -X '!*.yaml' -- "$cur") $(compgen -d -- "$cur")); return 0 ;;
    -i|--input|-o|--output|-f|--fonts|--state)
        COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
    -l|--log)
        [ "$cmd" = import-ees ] && return 0
        COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
    --pdf)
        COMPREPLY=($(compgen -f -X '!*.pdf' -- "$cur") $(compgen -d -- "$cur")); return 0 ;;
    -b|--by)
        COMPREPLY=($(compgen -W "quarter year" -- "$cur")); return 0 ;;
    -u|--unit)
        COMPREPLY=($(compgen -W "count percent gbp rate days number" -- "$cur")); return 0 ;;
    --polarity)
        COMPREPLY=($(compgen -W "higher lower none" -- "$cur")); return 0 ;;
    --annual)
        COMPREPLY=($(compgen -W "last sum mean" -- "$cur")); return 0 ;;
    --year-ends)
        COMPREPLY=($(compgen -W "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec none" -- "$cur")); return 0 ;;
    --neighbours)
        COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;
    --chart-files)
        COMPREPLY=($(compgen -W "all png svg none" -- "$cur")); return 0 ;;
    -p|--period|-m|--measure|-a|--service-area|-y|--years|-j|--jobs|-s|--shard|-c|--column|--la|--title|--filter|--committee|--meeting-date)
        return 0 ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        case $cmd in
        batch|import-ees) COMPREPLY=($(compgen -f -X '!*.csv' -- "$cur") $(compgen -d -- "$cur")) ;;
        esac
    fi
    return 0
}
complete -F _ragpack ragpack
