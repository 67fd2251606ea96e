#!/bin/sh
# Runs inside a guest from the job directory (/hosts-job): in a bare guest as PID 1
# (root), in a systemd guest from the learner's login shell on the serial console
# (ttyS0; ttyAMA0 on arm64). It prepares
# the host the row describes, reads the host state, runs the whole book as the row's
# runner (CI=true; --record: run --update without CI), reads the state again, leaves everything in /hosts-job/out, and
# powers the guest off.
J=/hosts-job
. "$J/params"
say() { echo "consh-hosts: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
asroot() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
off() {
  sync
  if [ "$(id -u)" = 0 ]; then echo o > /proc/sysrq-trigger; else sudo -n systemctl poweroff || sudo -n sh -c 'echo o > /proc/sysrq-trigger'; fi
  sleep 60
}

bare_host() {
  mount -t proc proc /proc
  mount -t sysfs sysfs /sys
  mount -t devtmpfs devtmpfs /dev
  mkdir -p /dev/pts /dev/shm /dev/mqueue /dev/hugepages
  mount -t devpts -o gid=5,mode=620,ptmxmode=000 devpts /dev/pts
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
  mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
  mkdir -p /run/lock && mount -t tmpfs -o mode=1777,nosuid,nodev,noexec,size=5m tmpfs /run/lock
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
  mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
  mount -t securityfs securityfs /sys/kernel/security
  mount -t debugfs debugfs /sys/kernel/debug
  mount -t tracefs tracefs /sys/kernel/tracing
  modprobe -q configfs
  mount -t configfs configfs /sys/kernel/config
  mount -t bpf -o mode=700 bpf /sys/fs/bpf
  mount -t hugetlbfs hugetlbfs /dev/hugepages
  mount -t mqueue mqueue /dev/mqueue
  mount --make-rshared /
  hostname guest
  echo "127.0.1.1 guest" >> /etc/hosts
  ip link set lo up
  getent group 2345 > /dev/null || groupadd -g 2345 learner-g
  getent passwd 1234 > /dev/null || useradd -u 1234 -g 2345 -m -s /bin/bash learner
  LEARNER=$(getent passwd 1234 | cut -d: -f1)
  mkdir -p "$(getent passwd 1234 | cut -d: -f6)" && chown 1234:2345 "$(getent passwd 1234 | cut -d: -f6)"
  echo "$LEARNER ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/consh-hosts-learner
  chmod 440 /etc/sudoers.d/consh-hosts-learner
  if [ "$SUBTREE" = cpu ]; then echo +cpu > /sys/fs/cgroup/cgroup.subtree_control; fi
  if [ -n "$USERNS_CLONE" ]; then sysctl -q -w kernel.unprivileged_userns_clone="$USERNS_CLONE"; fi
}

main() {
  # A root without a Node the book supports (Debian 11) gets the matrix's own.
  if [ -f "$J/node" ]; then asroot install -m 755 "$J/node" /usr/local/bin/node; fi
  say "guest up: $(uname -r) $(uname -m), node $(node --version), uid $(id -u), cgroup $(stat -fc %T /sys/fs/cgroup), subtree_control '$(cat /sys/fs/cgroup/cgroup.subtree_control)'"
  res=$(mktemp -d /tmp/consh-hosts-res.XXXXXX)
  book=$(mktemp -d /tmp/consh-hosts-book.XXXXXX)
  tar -C "$book" -xf "$J/book.tar"
  chmod -R a+rX "$book" "$res"
  chmod 755 "$book"
  # CI=true checks; recording needs CI off (CI never rewrites snapshots).
  update= ci=true
  if [ "$MODE" = record ]; then update=--update ci=false; fi
  cmd="node $book/dist/bin/consh-book.js run --all --keep-going $update --json $res/report.json"
  as_runner=
  if [ "$RUNNER" = learner ] && [ "$(id -u)" = 0 ]; then
    chown -R 1234 "$res" "$book/snapshots"
    as_runner="runuser -u $(getent passwd 1234 | cut -d: -f1) --"
    cmd="$as_runner env CI=$ci $cmd"
  fi
  # The state is read once the boot (and a learner's own systemd) has settled. systemd
  # 247's user manager switches memory and pids on below user@UID.service the first
  # time it sees a mount (any mount: it makes a unit for each) and leaves them on; a
  # mount and unmount first makes that the state before, as on a host that has seen one.
  if [ -d /run/systemd/system ]; then
    timeout 300 systemctl is-system-running --wait > /dev/null 2>&1
    if [ "$(id -u)" != 0 ]; then timeout 120 systemctl --user is-system-running --wait > /dev/null 2>&1; fi
    d=$(mktemp -d) && asroot mount -t tmpfs consh-hosts-settle "$d" && sleep 2 && asroot umount "$d" && rmdir "$d" && sleep 1
  fi
  asroot sh "$J/state.sh" > "$res/state-before"
  id > "$res/id"
  node --version > "$res/node"
  cat /proc/self/cgroup > "$res/cgroup"
  say "running: $cmd"
  start=$(date +%s)
  { CI=$ci $cmd; echo $? > "$res/exit"; } 2>&1 | tee "$res/book.log"
  end=$(date +%s)
  echo $((end - start)) > "$res/seconds"
  say "book exit $(cat "$res/exit") after $((end - start)) s"
  if [ -n "$PRACTICE" ]; then
    # The learner types every step of the chapter into a pseudo-terminal; the book checks the live host.
    say "practising $PRACTICE"
    start=$(date +%s)
    $as_runner node "$J/practice.mjs" "$book" "$book/dist/bin/consh-book.js" "$PRACTICE" > "$res/practice.json" 2> "$res/practice.err"
    say "practice after $(($(date +%s) - start)) s: $(head -c 300 "$res/practice.json")"
  fi
  say "reading the host state"
  asroot sh "$J/state.sh" > "$res/state-after"
  cp -r "$book/snapshots" "$res/snapshots"
  asroot cp -r "$res/." "$J/out/"
  asroot touch "$J/out/done"
  say "done"
}

if [ "$$" = 1 ]; then
  export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
  bare_host
  main < /dev/null &
  wait
  off
elif [ "$(tty 2>/dev/null)" = /dev/ttyS0 ] || [ "$(tty 2>/dev/null)" = /dev/ttyAMA0 ]; then
  main < /dev/null
  off
fi
