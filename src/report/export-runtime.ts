// The shell code an exported script runs before its steps: the run's world (id,
// directory, names, subnet, the variables a run sets) and the terminals other than
// the host, fed through named pipes with consh-book's ack/end handshake.

/** The run's world, as `consh-book run` makes it, and the traps that tear it down. */
export const WORLD = `# ============================================================================
# The run: what \`consh-book run\` does around the steps, in plain sh. Skip to
# the first chapter's line of ==== if you only want the steps.
# ============================================================================

consh_say() { printf 'consh: %s\\n' "$*" >&2; }
consh_die() { consh_say "$*"; exit 1; }
# consh_q WORD: WORD quoted for sh (for the commands this script prints).
consh_q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\\\\\''/g")"; }

# The C locale, and the sbin directories (ip, mount, pivot_root) on PATH.
LANG=C LC_ALL=C
for consh_d in /usr/local/sbin /usr/sbin /sbin; do
  case :$PATH: in *:"$consh_d":*) ;; *) PATH=$PATH:$consh_d ;; esac
done
export LANG LC_ALL PATH
# Steps never read standard input; at a keyboard, give them nothing to wait for.
[ -t 0 ] && exec < /dev/null

CONSH_UID=$(id -u) CONSH_GID=$(id -g)
# What changes the host needs root: as root directly, otherwise sudo (never asking for a password).
if [ "$CONSH_UID" -eq 0 ]; then consh_as_root() { "$@"; }; else consh_as_root() { sudo -n "$@"; }; fi

# The work root is consh-book's own, $TMPDIR/consh-book-UID, so \`consh-book
# clean\` finds what a killed script left. Only this user may write it, or any
# directory above it (unless sticky, like /tmp).
consh_top=\${CONSH_BOOK_TMPDIR:-\${TMPDIR:-/tmp}}/consh-book-$CONSH_UID
case $consh_top in /*) ;; *) consh_top=$PWD/$consh_top ;; esac
mkdir -m 700 "$consh_top" 2> /dev/null
[ -d "$consh_top" ] && [ ! -L "$consh_top" ] && [ -O "$consh_top" ] && [ $((0$(stat -c %a "$consh_top") & 022)) -eq 0 ] ||
  consh_die "$consh_top is not a directory that only you can write (did another user make it?); set TMPDIR to a directory of yours"
consh_d=$consh_top
while [ "$consh_d" != / ]; do
  consh_d=$(dirname "$consh_d")
  set -- $(stat -L -c '%u %a' "$consh_d")
  { [ "$1" -eq 0 ] || [ "$1" -eq "$CONSH_UID" ]; } && { [ $((0$2 & 02)) -eq 0 ] || [ $((0$2 & 01000)) -ne 0 ]; } ||
    consh_die "$consh_d may be changed by another user; set TMPDIR to a directory of yours"
done

# From here on, whatever ends the script (the last step, a failing step,
# Ctrl-C, kill) tears down what it made: consh_teardown, further down.
consh_run=
trap consh_teardown EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 131' QUIT
# SIGPIPE: a terminal's shell is gone while a step is written to it (or no one reads our output).
consh_writing=
trap 'if [ -n "$consh_writing" ]; then consh_die "the $consh_writing terminal has ended (at step $consh_id)"; fi; exit 141' PIPE
trap 'exit 143' TERM

# The run's id (six characters, the first a letter) and its directory, made fresh with mode 0700.
consh_n=0
until
  CONSH_RUN=$(tr -dc a-z < /dev/urandom | head -c 1)$(tr -dc a-z0-9 < /dev/urandom | head -c 5)
  mkdir -m 700 "$consh_top/$CONSH_RUN" 2> /dev/null
do
  consh_n=$((consh_n + 1))
  [ "$consh_n" -lt 20 ] || consh_die "cannot make a run directory in $consh_top"
done
consh_run=$consh_top/$CONSH_RUN
CONSH_WORK=$consh_run/work
mkdir -m 700 "$CONSH_WORK" "$consh_run/fifos" || exit 1
# run.json, as consh-book writes it: while this script lives, \`consh-book clean\` leaves the run alone.
printf '{"id":"%s","pid":%s,"start":"%s","startedAt":"%s","uid":%s}\\n' "$CONSH_RUN" $$ \\
  "$(sed 's/.*) //' /proc/$$/stat | cut -d' ' -f20)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$CONSH_UID" > "$consh_run/run.json"

# The names the steps give what they make on the host: every one carries the run's id.
CONSH_NAME=consh-$CONSH_RUN
CONSH_VETH_HOST=cb\${CONSH_RUN}h
CONSH_VETH_CT=cb\${CONSH_RUN}c
# A /24 in 10.200.0.0/13 that no route of this host touches.
consh_n=0
until
  CONSH_NET=10.$((200 + $(od -An -N1 -tu1 /dev/urandom) % 8)).$(($(od -An -N1 -tu1 /dev/urandom)))
  [ -z "$(ip -4 route show match "$CONSH_NET.0/24" | grep -v '^default'; ip -4 route show root "$CONSH_NET.0/24")" ]
do
  consh_n=$((consh_n + 1))
  [ "$consh_n" -lt 64 ] || consh_die "no free /24 in 10.200.0.0/13: every one is routed on this host"
done
CONSH_IP_HOST=$CONSH_NET.1
CONSH_IP_CT=$CONSH_NET.2
# Where cgroup2 is mounted, and the cgroup v1 hierarchy with the cpu controller (hybrid and v1 hosts).
CONSH_CGROUP2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CONSH_CGROUP1_CPU=$(awk '$3 == "cgroup" && $4 ~ /(^|,)cpu(,|$)/ { print $2; exit }' /proc/self/mounts)
export CONSH_WORK CONSH_RUN CONSH_NAME CONSH_VETH_HOST CONSH_VETH_CT CONSH_NET CONSH_IP_HOST CONSH_IP_CT CONSH_UID CONSH_GID
if [ -n "$CONSH_CGROUP2" ]; then export CONSH_CGROUP2; else unset CONSH_CGROUP2; fi
if [ -n "$CONSH_CGROUP1_CPU" ]; then export CONSH_CGROUP1_CPU; else unset CONSH_CGROUP1_CPU; fi
# As root where there is no sudo, "sudo CMD" just runs CMD.
if [ "$CONSH_UID" -eq 0 ] && ! command -v sudo > /dev/null; then
  mkdir -m 700 "$consh_run/bin"
  printf '#!/bin/sh\\nwhile case $1 in -n|-E|-H) true ;; *) false ;; esac; do shift; done\\n[ "$1" = -- ] && shift\\nexec "$@"\\n' > "$consh_run/bin/sudo"
  chmod 700 "$consh_run/bin/sudo"
  PATH=$consh_run/bin:$PATH
fi
echo "consh: run $CONSH_RUN, working in $CONSH_WORK"
echo "consh: if this script is killed with SIGKILL, 'consh-book clean' removes what it left"
cd "$CONSH_WORK" || exit 1
`;

/** Starting a terminal (consh_start) and running a step in it (consh_step), with the checks after each step. */
export const STEPS = `
# The terminals other than this script's own (the host terminal): each a
# shell of its own, started in the work directory with the runner's small
# environment, in a session of its own, reading its steps from a named pipe
# (fd N here) and writing its output into another (fd N+1 here).
consh_terms=
consh_shell=/bin/sh
command -v bash > /dev/null && consh_shell="$(command -v bash) --noprofile --norc"
consh_dflt=
env --default-signal=INT,QUIT true 2> /dev/null && consh_dflt=--default-signal=INT,QUIT
consh_start() { # NAME FD
  consh_in=$consh_run/fifos/$1.in consh_out=$consh_run/fifos/$1.out
  mkfifo -m 600 "$consh_in" "$consh_out" || exit 1
  (
    exec < "$consh_in" > "$consh_out" 2>&1 3>&- 4<&- 5>&- 6<&- 7>&- 8<&-
    cd "$CONSH_WORK" || exit 1
    set -- PATH="$PATH" HOME="\${HOME:-/}" USER="\${USER:-$(id -un)}" LOGNAME="\${USER:-$(id -un)}" TERM=dumb LANG=C LC_ALL=C \\
      CONSH_WORK="$CONSH_WORK" CONSH_RUN="$CONSH_RUN" CONSH_NAME="$CONSH_NAME" CONSH_UID="$CONSH_UID" CONSH_GID="$CONSH_GID" \\
      CONSH_VETH_HOST="$CONSH_VETH_HOST" CONSH_VETH_CT="$CONSH_VETH_CT" CONSH_NET="$CONSH_NET" CONSH_IP_HOST="$CONSH_IP_HOST" CONSH_IP_CT="$CONSH_IP_CT"
    [ -n "\${CONSH_CGROUP2:-}" ] && set -- "$@" CONSH_CGROUP2="$CONSH_CGROUP2"
    [ -n "\${CONSH_CGROUP1_CPU:-}" ] && set -- "$@" CONSH_CGROUP1_CPU="$CONSH_CGROUP1_CPU"
    [ -n "\${TMPDIR:-}" ] && set -- "$@" TMPDIR="$TMPDIR"
    exec setsid env $consh_dflt -i "$@" $consh_shell
  ) &
  consh_terms="$consh_terms $1:$2:$!"
  case $2 in
    3) exec 3> "$consh_in" 4< "$consh_out" ;;
    5) exec 5> "$consh_in" 6< "$consh_out" ;;
    7) exec 7> "$consh_in" 8< "$consh_out" ;;
  esac
  echo 'exec 2>&1' >&"$2"
}

# consh_step TERMINAL STEP-ID EXPECTED-STATUS (- for any) < STEP: runs one step
# in a terminal as consh-book does. It writes a salted acknowledgement and the
# step; once the shell has printed the acknowledgement (so it has read the
# step), it writes the end command, which prints the step's status after its
# output. A step that execs into another shell (a container) leaves the end
# command in the pipe for that shell.
consh_salt=CONSH$(od -An -N6 -tx1 /dev/urandom | tr -d ' \\n')
consh_seq=0
consh_step() {
  consh_fd=\${consh_terms##* $1:}
  consh_fd=\${consh_fd%%:*}
  consh_seq=$((consh_seq + 1))
  consh_begin "$2" "$1"
  consh_writing=$1
  { printf "printf '%%s:%%s:ack\\\\\\\\n' %s %s\\n" "$consh_salt" "$consh_seq"; cat; } >&"$consh_fd"
  consh_l=
  while IFS= read -r consh_l <&$((consh_fd + 1)) && [ "$consh_l" != "$consh_salt:$consh_seq:ack" ]; do :; done
  [ "$consh_l" = "$consh_salt:$consh_seq:ack" ] || consh_die "the $1 terminal has ended (step $2 did not start)"
  printf '%s\\n' "{ consh_s=\\$?; consh_f=\\$-; set +xv; } 2>/dev/null; printf '\\\\n%s:%s:%s\\\\n' $consh_salt $consh_seq \\"\\$consh_s\\"; case \\$consh_f in *v*) set -v;; esac; case \\$consh_f in *x*) set -x;; esac" >&"$consh_fd"
  consh_writing=
  # Output goes on as it comes; empty lines wait for the next line, since the
  # last one is the end command's own newline.
  consh_empty=0
  while IFS= read -r consh_l <&$((consh_fd + 1)); do
    case $consh_l in "$consh_salt:$consh_seq:"*) break ;; "") consh_empty=$((consh_empty + 1)) && continue ;; esac
    while [ "$consh_empty" -gt 0 ]; do echo && consh_empty=$((consh_empty - 1)); done
    printf '%s\\n' "$consh_l"
  done
  case $consh_l in "$consh_salt:$consh_seq:"*) ;; *) consh_die "the $1 terminal ended during step $2" ;; esac
  while [ "$consh_empty" -gt 1 ]; do echo && consh_empty=$((consh_empty - 1)); done
  consh_end "\${consh_l##*:}" "$3"
}

consh_ran=0 consh_skipped=0
# consh_begin STEP-ID [TERMINAL]: before a step.
consh_begin() { printf -- '-- step %s (terminal %s)\\n' "$1" "\${2:-host}"; consh_id=$1; }
# consh_end STATUS EXPECTED: after a step; a status other than the expected one stops the run.
consh_end() {
  consh_notice
  consh_ran=$((consh_ran + 1))
  [ "$2" = - ] || [ "$1" -eq "$2" ] || consh_die "step $consh_id ended with status $1, not $2: stopping here"
}
`;
