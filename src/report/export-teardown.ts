// The shell code that tears an exported run down on every exit: its processes,
// netns names and links, mounts (deepest first), cgroups (leaf first), the
// controllers it switched on, and its directory; what it cannot, it prints.

/** consh_teardown and what it uses; the subtree_control watch runs at the start. */
export const TEARDOWN = `
# Controllers in cgroup2's root cgroup.subtree_control: what the host has on by
# itself; what a step switches on is marked (as consh-book marks it, in
# /run/consh-book) and switched off again at teardown by the last run out.
consh_marks=/run/consh-book
consh_tree_enc=$(printf '%s' "\${CONSH_CGROUP2:-}" | sed 's/%/%25/g; s|/|%2F|g')
consh_sub_host= consh_sub_mine=
consh_subtree() { consh_sc=; [ -n "\${CONSH_CGROUP2:-}" ] && read -r consh_sc < "$CONSH_CGROUP2/cgroup.subtree_control" 2> /dev/null; }
consh_subtree
for consh_c in $consh_sc; do
  if ls "$consh_marks" 2> /dev/null | grep -q "^subtree-$consh_c-$consh_tree_enc\\(@\\|$\\)"; then
    consh_sub_mine="$consh_sub_mine $consh_c" # another run switched it on: share it
    consh_as_root sh -c 'mkdir -p -m 0755 "$1" && touch "$1/$2"' sh "$consh_marks" "subtree-$consh_c-$consh_tree_enc@$CONSH_RUN"
  else
    consh_sub_host="$consh_sub_host $consh_c"
  fi
done
# consh_notice: after each step, a controller the host did not have is marked as this run's.
consh_notice() {
  consh_subtree
  for consh_c in $consh_sc; do
    case " $consh_sub_host $consh_sub_mine " in *" $consh_c "*) continue ;; esac
    consh_sub_mine="$consh_sub_mine $consh_c"
    consh_as_root sh -c 'mkdir -p -m 0755 "$1" && touch "$1/$2"' sh "$consh_marks" "subtree-$consh_c-$consh_tree_enc@$CONSH_RUN"
  done
}

# consh_procs [all]: this script's processes (but this one and the one listing
# them), and the members of its terminals' sessions, with their descendants;
# deepest first; zombies (dead, not yet reaped) only with "all".
consh_procs() {
  cat /proc/[0-9]*/stat 2> /dev/null | awk -v self=$$ -v terms="$consh_terms" -v all="\${1:-}" '
    function walk(p,   n, k, i) {
      if (seen[p]++ || skip[p]) return
      n = split(kids[p], k, " ")
      for (i = 1; i <= n; i++) walk(k[i])
      if (p != self && (all || state[p] != "Z")) print p
    }
    { s = $0; sub(/^.*\\) /, "", s); split(s, f, " "); state[$1] = f[1]; sid[$1] = f[4]; kids[f[2]] = kids[f[2]] " " $1 }
    END {
      getline me < "/proc/self/stat"; skip[me + 0] = 1; sub(/^.*\\) /, "", me); split(me, f, " "); if (f[2] != self) skip[f[2]] = 1
      n = split(terms, t, " ")
      for (i = 1; i <= n; i++) { split(t[i], x, ":"); leader[x[3]] = 1 }
      walk(self)
      for (p in sid) if (leader[sid[p]]) walk(p)
    }'
}

# consh_kill PID...: stop them, then kill them; through sudo what is not ours to signal.
consh_kill() {
  [ $# -gt 0 ] || return 0
  kill -STOP "$@" 2> /dev/null || consh_as_root kill -STOP "$@" 2> /dev/null
  kill -KILL "$@" 2> /dev/null || consh_as_root kill -KILL "$@" 2> /dev/null
}

# consh_cgroups: the run's cgroups (named consh-ID or consh-ID-...) in every hierarchy, and all below them, deepest first.
consh_cgroups() {
  awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts | sort -u | while read -r consh_r; do
    find "$consh_r" -maxdepth 3 -type d \\( -name "$CONSH_NAME" -o -name "$CONSH_NAME-*" \\) -prune -print 2> /dev/null
  done | while read -r consh_r; do find "$consh_r" -depth -type d 2> /dev/null; done
}

# consh_mounts: mount points under the run's directory, the last mounted first.
consh_mounts() {
  awk -v dir="$consh_run/" '
    function unescape(s,   out, i) {
      out = ""
      while ((i = index(s, "\\\\")) > 0) {
        out = out substr(s, 1, i - 1) sprintf("%c", substr(s, i + 1, 1) * 64 + substr(s, i + 2, 1) * 8 + substr(s, i + 3, 1))
        s = substr(s, i + 4)
      }
      return out s
    }
    { m = unescape($5); if (index(m, dir) == 1) print $1, m }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2-
}

consh_todo=
# consh_try CMD...: runs CMD as root; where that fails, notes it for the user to run.
consh_try() {
  consh_as_root "$@" 2> /dev/null && return 0
  consh_t=sudo
  for consh_a in "$@"; do consh_t="$consh_t $(consh_q "$consh_a")"; done
  consh_todo="$consh_todo
  $consh_t"
  return 1
}

# Ends the terminals and every process this run started, then removes its
# network names, mounts, cgroups, the controllers it switched on, and its
# directory. It runs once, on whatever ends the script.
consh_teardown() {
  consh_status=$?
  trap '' HUP INT QUIT PIPE TERM
  [ -n "$consh_run" ] || exit "$consh_status"
  cd / || :
  exec 3>&- 4<&- 5>&- 6<&- 7>&- 8<&-
  # Kill until none is left alive, then reap ours and give init time to reap the rest.
  consh_n=0
  while :; do
    set -- $(consh_procs)
    if [ $# -gt 0 ]; then consh_kill "$@"; else wait && [ -z "$(consh_procs all)" ] && break; fi
    consh_n=$((consh_n + 1))
    [ "$consh_n" -lt 100 ] || { consh_say "processes still there after 10 s: $(consh_procs all)"; break; }
    sleep 0.1
  done
  for consh_r in $(consh_cgroups); do consh_kill $(cat "$consh_r/cgroup.procs" 2> /dev/null); done
  [ -e "/run/netns/$CONSH_NAME" ] && consh_try ip netns delete "$CONSH_NAME"
  for consh_r in /sys/class/net/cb"$CONSH_RUN"*; do
    [ -e "$consh_r" ] && consh_try ip link delete "\${consh_r##*/}"
  done
  for consh_n in 1 2 3; do
    for consh_r in $(consh_mounts); do consh_as_root umount -l "$consh_r" 2> /dev/null; done
  done
  for consh_r in $(consh_mounts); do consh_try umount -l "$consh_r"; done
  for consh_n in 1 2 3 4 5 6 7 8 9 10; do
    for consh_r in $(consh_cgroups); do consh_as_root rmdir "$consh_r" 2> /dev/null; done
    [ -z "$(consh_cgroups)" ] && break
    sleep 0.2
  done
  for consh_r in $(consh_cgroups); do consh_try rmdir "$consh_r"; done
  for consh_c in $consh_sub_mine; do
    consh_m=subtree-$consh_c-$consh_tree_enc
    if ! ls "$consh_marks" 2> /dev/null | grep "^$consh_m\\(@\\|$\\)" | grep -qvx "$consh_m@$CONSH_RUN" &&
      ! ls "$CONSH_CGROUP2" | grep -qx 'consh-[a-z0-9]\\{6\\}'; then
      consh_subtree
      case " $consh_sc " in *" $consh_c "*) consh_try sh -c 'echo "-$1" > "$2/cgroup.subtree_control"' sh "$consh_c" "$CONSH_CGROUP2" ;; esac
    fi
    consh_try rm -f "$consh_marks/$consh_m@$CONSH_RUN" && consh_as_root rmdir "$consh_marks" 2> /dev/null
  done
  if [ -z "$(consh_mounts)" ]; then
    rm -rf "$consh_run" 2> /dev/null || consh_try rm -rf --one-file-system "$consh_run"
  else
    consh_todo="$consh_todo
  sudo rm -rf --one-file-system $(consh_q "$consh_run")"
  fi
  if [ -n "$consh_todo" ]; then
    consh_say "could not remove everything this run made; to finish, run:$consh_todo"
  fi
  exit "$consh_status"
}
`;
