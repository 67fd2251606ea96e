#!/bin/sh
# What a run of the book may change on a host, in a stable order, so that a reading
# before and one after can be compared: mounts, network links, named network
# namespaces, cgroup directories (4 levels, every hierarchy), every cgroup2
# directory's cgroup.subtree_control, and processes in other PID or user namespaces.
# Run as root (reading other processes' namespaces needs it).
echo "## mounts (mount point, fs type)"
awk '{ for (i = 7; $i != "-"; i++); print $5, $(i + 1) }' /proc/self/mountinfo | sort
echo "## network links"
ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
echo "## named network namespaces"
ls -1 /run/netns 2>/dev/null | sort
echo "## cgroup directories (all hierarchies, 4 levels)"
# (Not this machine's own per-command cgroups, process_api/<32 hex>: other people's
# commands make and remove them while a row runs; no run of the book makes one.)
find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d 2>/dev/null | grep -Ev '/process_api/[0-9a-f]{32}(/|$)' | sort
echo "## cgroup.subtree_control (cgroup2, 4 levels)"
# Shell built-ins only in the loops: forks are slow in an emulated guest.
find /sys/fs/cgroup -maxdepth 4 -name cgroup.subtree_control 2>/dev/null | sort | while read -r f; do
  c=; read -r c < "$f" 2>/dev/null
  printf '%s: %s\n' "${f%/cgroup.subtree_control}" "$c"
done
echo "## processes in other namespaces than this one"
self_pid=$(readlink /proc/self/ns/pid)
self_user=$(readlink /proc/self/ns/user)
find /proc/[0-9]*/ns -maxdepth 1 \( -name pid -o -name user \) -printf '%h %f %l\n' 2>/dev/null |
  awk -v sp="$self_pid" -v su="$self_user" '
    $3 != "" { split($1, a, "/"); if ($2 == "pid") p[a[3]] = $3; else u[a[3]] = $3 }
    END { for (k in p) if ((k in u) && (p[k] != sp || u[k] != su)) print k }' |
  while read -r pid; do
    comm=?; read -r comm < "/proc/$pid/comm" 2>/dev/null
    printf '%s (pid %s)\n' "$comm" "$pid"
  done | sort
