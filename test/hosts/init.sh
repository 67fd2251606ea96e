#!/bin/busybox sh
# The guests' initramfs init: load the modules for virtio 9p and overlayfs, mount the
# shared root (9p tag "root", read-only) under a tmpfs overlay, the kernel's modules
# (tag "modules") and the job directory (tag "job", at /hosts-job), then switch to
# consh.init= (default /lib/systemd/systemd).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
fail() { echo "consh-hosts-initramfs: $*"; echo o > /proc/sysrq-trigger; sleep 5; }
for m in $(cat /modules/order); do insmod "/modules/$m" || echo "consh-hosts-initramfs: insmod $m failed"; done
init=/lib/systemd/systemd
for arg in $(cat /proc/cmdline); do
  case "$arg" in consh.init=*) init=${arg#consh.init=} ;; esac
done
if [ "$init" = probe ]; then echo "consh-hosts-probe-ok"; echo o > /proc/sysrq-trigger; sleep 5; fi
mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288,cache=loose root /lower || fail "cannot mount the 9p root"
mount -t tmpfs -o mode=755 rw /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || fail "cannot mount the overlay root"
mkdir -p /newroot/hosts-job /newroot/lib/modules/$(uname -r)
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288 modules /newroot/lib/modules/$(uname -r) || fail "cannot mount the modules"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 job /newroot/hosts-job || fail "cannot mount the job directory"
umount /proc /sys
umount /dev
exec switch_root /newroot $init
