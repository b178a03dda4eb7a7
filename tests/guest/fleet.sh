#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest half of the fleet test (scripts/fleet): one machine of a fleet
# as Debian runs it. sockmap is loaded (by /init); Debian's node exporter
# serves :9100, which the host forwards to its Prometheus, with its
# textfile collector reading a directory that a loop fills every 2 s with
# `sockmap-exporter --output DIR/sockmap.prom`; fleetload
# (tests/workload/fleetload.c) makes known sockets in two cgroups.
#
# The host cannot see the guest's sockets, so the guest computes, with awk
# and from /proc/sockmap directly (not from the exporter's output), what
# Prometheus should say, and prints it on the console for the host:
#
#	@@fleet-snap-begin@@	"WHAT LABEL VALUE" lines: sockets STATE N,
#	...			cgroup CGROUP N (distinct sockets), acked and
#	@@fleet-snap-end@@	received CGROUP BYTES (TCP sums), acceptq
#				CGROUP N (TCP LISTEN RXQ), rxq CGROUP BYTES
#				(RXQ of the sockets not listening)
#	@@fleet-prom-begin@@	the .prom file those numbers go with
#	@@fleet-ready@@		all of it printed; the exporter is held
#
# For the two to agree exactly, nothing may move between the guest's read
# and Prometheus's scrape: the workload is idle (each side drained what it
# sent and sleeps), the exporter loop is held after one last run, and that
# run is bracketed by two awk reads of /proc/sockmap that must be equal
# (else it is all done again): the only other sockets, the node exporter's
# own and the control listener, stay as they are while the host checks.
#
# Then the guest waits for the host's word on TCP port 9200 (forwarded
# too): "unload" unloads sockmap and releases the loop, whose next run
# writes sockmap_up 0 (@@fleet-prom0-begin@@ ... end, then
# @@fleet-unloaded@@); "done" ends the test: sockmap is loaded again for
# /init to unload. The guest's own steps are KTAP results between
# @@fleet-begin@@ and @@fleet-end@@ lines, relayed by the host.
#
# shellcheck disable=SC2016 # awk programs are single-quoted

set -u

# shellcheck source=scripts/lib/ktap.sh
. /lib/ktap.sh

TEXT=/run/fleet/textfile	# node exporter's textfile directory
PROM=$TEXT/sockmap.prom
HOLD=/run/fleet/hold		# while it exists, the loop runs no exporter
TICK=/run/fleet/tick		# the loop touches it after each turn
CG=/sys/fs/cgroup
PORT=7000			# fleetload's; 7001 is its idle listener
SENT=${fleet_bytes:-100000}	# client -> server
REPLY=${fleet_reply:-30000}	# server -> client
W=/tmp/fleet
mkdir -p "$TEXT" "$W"
FAILED=0

# result NAME STATUS [WHY] - one KTAP result for the host, in a section.
result() {
	echo "@@fleet-begin@@"
	ktap_result "$@"
	echo "@@fleet-end@@"
	[ "$2" -eq 0 ] || FAILED=1
}

# wait_for SECONDS CMD... - poll CMD every 0.2 s until it succeeds.
wait_for() {
	ticks=$(($1 * 5))
	shift
	until "$@"; do
		ticks=$((ticks - 1))
		[ "$ticks" -gt 0 ] || return 1
		sleep 0.2
	done
}

# in_cgroup NAME CMD... - run CMD in the background in cgroup /fleet/NAME.
in_cgroup() {
	name=$1
	shift
	sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG/fleet/$name" "$@" &
}

# snapshot - what Prometheus should report, from /proc/sockmap by column
# name. A socket counts once per cgroup label (the CGROUP column cut to
# two components, as sockmap-exporter's default --cgroup-depth; our names
# need no unescaping) and INODE; a socket no file holds (INODE 0: TIME_WAIT,
# an orphan) has a row of its own. Zero sums are left out: the exporter
# need not print a series that is 0.
snapshot() {
	awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{
		cg = $col["CGROUP"]
		if (cg != "-") {
			n = split(cg, part, "/")
			cg = n > 3 ? "/" part[2] "/" part[3] : cg
		}
		key = cg " " $col["INODE"]
		if ($col["INODE"] != 0 && key in seen)
			next
		seen[key] = 1
		state[$col["STATE"]]++
		cgroup[cg]++
		if ($col["STATE"] != "LISTEN")
			rxq[cg] += $col["RXQ"]
		if ($col["PROTO"] != "TCP")
			next
		acked[cg] += $col["TX_BYTES"]
		received[cg] += $col["RX_BYTES"]
		if ($col["STATE"] == "LISTEN")
			acceptq[cg] += $col["RXQ"]
	}
	END {
		for (k in state) printf "sockets %s %d\n", k, state[k]
		for (k in cgroup) printf "cgroup %s %d\n", k, cgroup[k]
		for (k in acked) if (acked[k]) printf "acked %s %d\n", k, acked[k]
		for (k in received) if (received[k]) printf "received %s %d\n", k, received[k]
		for (k in acceptq) if (acceptq[k]) printf "acceptq %s %d\n", k, acceptq[k]
		for (k in rxq) if (rxq[k]) printf "rxq %s %d\n", k, rxq[k]
	}' /proc/sockmap | sort
}

# scraped - someone (Prometheus, through QEMU) is connected to :9100.
# shellcheck disable=SC2317 # called by wait_for
scraped() {
	[ -n "$(ss -Htn state established '( sport = :9100 )')" ]
}

# turn - wait for the exporter loop to finish a turn begun after now.
turn() {
	rm -f "$TICK"
	wait_for 20 test -e "$TICK"
}

# --- the machine ----------------------------------------------------------

mount -t cgroup2 cgroup2 "$CG" && mkdir -p "$CG/fleet/web" "$CG/fleet/client" "$CG/fleet/scrape"
result "guest cgroups" $? "cannot mount cgroup2 or make /fleet/{web,client,scrape}"

# The first interface that is not lo: virtio-net, on QEMU's user network.
dev=
for d in /sys/class/net/*; do
	[ "${d##*/}" = lo ] || { dev=${d##*/}; break; }
done
[ -n "$dev" ] && ip link set "$dev" up && ip addr add 10.0.2.15/24 dev "$dev" &&
	ip route add default via 10.0.2.2
result "guest network" $? "no interface besides lo, or ip failed: $(ls /sys/class/net)"

in_cgroup scrape /usr/bin/prometheus-node-exporter --web.listen-address=:9100 \
	--web.disable-exporter-metrics --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$TEXT" >"$W/node.log" 2>&1
NODE=$!

# The loop, as a cron job would run it; its last exit status in $W/rc.
(
	while :; do
		if [ ! -e "$HOLD" ]; then
			sockmap-exporter --output "$PROM" 2>>"$W/exporter.err"
			echo $? >"$W/rc"
		fi
		: >"$TICK"
		sleep 2
	done
) &
LOOP=$!

wait_for 60 wget -q -O "$W/metrics" http://127.0.0.1:9100/metrics 2>/dev/null
result "guest node-exporter serves" $? "$(tail -n 5 "$W/node.log")"

in_cgroup web /workload/fleetload server "$PORT" "$REPLY" "$SENT" "$W/web.ready"
WEB=$!
in_cgroup client /workload/fleetload client "$PORT" "$SENT" "$REPLY" "$W/client.ready"
CLIENT=$!
wait_for 60 test -e "$W/web.ready" -a -e "$W/client.ready"
result "guest workload ready" $? "fleetload never said ready"

# The host's word, listened for before the snapshot: this socket is in it.
nc -l -p 9200 </dev/null >"$W/ctl" 2>&1 &

# Prometheus has come: its connection to the node exporter is up.
wait_for 90 scraped
result "guest prometheus connected" $? "no connection to :9100"

# The last exporter run, between two equal reads.
: >"$HOLD"
turn
stable=1
for try in 1 2 3 4 5; do
	snapshot >"$W/before"
	sockmap-exporter --output "$PROM"
	rc=$?
	snapshot >"$W/after"
	if cmp -s "$W/before" "$W/after"; then
		stable=0
		break
	fi
	echo "# snapshot $try moved:"
	diff "$W/before" "$W/after" | sed 's/^/#   /'
	sleep 1
done
result "guest snapshot stable" $stable "/proc/sockmap kept changing"
result "guest exporter exit 0" "$rc" "sockmap-exporter exited $rc: $(cat "$W/exporter.err" 2>/dev/null)"
echo "@@fleet-snap-begin@@"
cat "$W/after"
echo "@@fleet-snap-end@@"
echo "@@fleet-prom-begin@@"
cat "$PROM"
echo "@@fleet-prom-end@@"
echo "@@fleet-ready@@"

wait_for 300 grep -qx unload "$W/ctl"
result "guest got unload" $? "no word from the host"
nc -l -p 9200 </dev/null >"$W/ctl2" 2>&1 &
rmmod sockmap
result "guest rmmod sockmap" $? "rmmod failed"
rm -f "$HOLD"
turn
turn
rc=$(cat "$W/rc")
[ "$rc" = 1 ] && [ -s "$W/exporter.err" ]
result "guest exporter exit 1 unloaded" $? "exit $rc, stderr: $(tail -n 2 "$W/exporter.err")"
echo "# the exporter said: $(tail -n 1 "$W/exporter.err")"
echo "@@fleet-prom0-begin@@"
cat "$PROM"
echo "@@fleet-prom0-end@@"
echo "@@fleet-unloaded@@"

wait_for 300 grep -qx "done" "$W/ctl2"
result "guest got done" $? "no word from the host"
kill "$LOOP" "$NODE" "$WEB" "$CLIENT" 2>/dev/null
insmod /sockmap.ko
result "guest insmod again" $? "insmod failed"
exit "$FAILED"
