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
find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d 2>/dev/null | sort
echo "## cgroup.subtree_control (cgroup2, 4 levels)"
find /sys/fs/cgroup -maxdepth 4 -name cgroup.subtree_control 2>/dev/null | sort | while read -r f; do
  printf '%s: %s\n' "${f%/cgroup.subtree_control}" "$(cat "$f" 2>/dev/null)"
done
echo "## processes in other namespaces than this one"
self_pid=$(readlink /proc/self/ns/pid)
self_user=$(readlink /proc/self/ns/user)
for p in /proc/[0-9]*; do
  ns_pid=$(readlink "$p/ns/pid" 2>/dev/null) || continue
  ns_user=$(readlink "$p/ns/user" 2>/dev/null) || continue
  if [ "$ns_pid" != "$self_pid" ] || [ "$ns_user" != "$self_user" ]; then
    printf '%s (pid %s)\n' "$(cat "$p/comm" 2>/dev/null)" "${p#/proc/}"
  fi
done | sort
