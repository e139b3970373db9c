#!/bin/sh
# slurm.sh — `make test-slurm`: run deploy/slurm/ragpack-array.sbatch on a
# single-node Slurm cluster started on localhost in a private folder, over
# a generated manifest of 52 packs, and check every pack was built exactly
# once across the array's shards. Stops its own daemons (by pid).
#   sh tests/slurm.sh BUILD_DIR
# Needs root to install slurmctld slurmd slurm-client munge when missing
# (Debian 12: Slurm 22.05); see ../shared/notes/stack-facts.model section 7.
B=${1:-build}
ROOT=$(pwd)
RAGPACK=${RAGPACK:-$B/ragpack}
case $RAGPACK in /*) ;; *) RAGPACK=$ROOT/$RAGPACK ;; esac
NPACKS=52
NTASKS=4
DEADLINE=180        # seconds for the whole array

say() { echo "slurm.sh: $*"; }
[ -x "$RAGPACK" ] || { say "FAIL: $RAGPACK is not built"; exit 1; }

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 \
   || ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
        say "skip: Slurm is not installed; as root: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge"
        exit 0
    fi
    say "installing slurmctld slurmd slurm-client munge"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurmctld slurmd slurm-client munge >/dev/null ||
        { say "FAIL: apt-get install failed"; exit 1; }
fi
if [ "$(id -u)" != 0 ]; then
    say "skip: the private cluster runs its daemons as root (SlurmUser=root)"
    exit 0
fi

D=$(mktemp -d /tmp/ragpack-slurm.XXXXXX)
chmod 755 "$D"     # munged refuses a socket folder others cannot enter
mkdir -p "$D/state" "$D/spool" "$D/logs" "$D/out"
chmod 755 "$D/state" "$D/spool" "$D/logs" "$D/out"
ctld=; slurmd_pid=; munged_pid=

alive() {   # PID 1 here reaps slowly: a zombie is not alive
    [ -n "$1" ] && [ -r "/proc/$1/stat" ] &&
        [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat")" != Z ]
}
stop() {
    for p in $slurmd_pid $ctld $munged_pid; do
        alive "$p" && kill "$p" 2>/dev/null
    done
    i=0
    for p in $slurmd_pid $ctld $munged_pid; do
        while alive "$p" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
        alive "$p" && kill -9 "$p" 2>/dev/null
    done
    [ "${KEEP:-0}" = 1 ] && say "kept $D" || rm -rf "$D"
}
trap stop EXIT
trap 'exit 1' INT TERM

# Free TCP ports: a port already in use makes slurmctld die silently.
port_free() {
    hex=$(printf '%04X' "$1")
    ! grep -q ":$hex " /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
pick_port() {
    p=$1
    while ! port_free "$p" || ! port_free $((p + 1)); do p=$((p + 2)); done
    echo "$p"
}
PORT=$(pick_port $((20000 + $$ % 20000)))

# munge with its own key and socket
mungekey -c -k "$D/munge.key" 2>/dev/null || { say "FAIL: mungekey"; exit 1; }
munged --force --socket "$D/munge.socket" --key-file "$D/munge.key" \
    --pid-file "$D/munged.pid" --log-file "$D/munged.log" \
    --seed-file "$D/munged.seed" || { say "FAIL: munged did not start"; cat "$D/munged.log"; exit 1; }
munged_pid=$(cat "$D/munged.pid" 2>/dev/null)

mem=$(awk '/MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
cpus=$(nproc)
cat >"$D/slurm.conf" <<EOF
ClusterName=ragpacktest
SlurmctldHost=localhost
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$D/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SchedulerParameters=batch_sched_delay=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:$NTASKS
EOF
export SLURM_CONF="$D/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >"$D/slurmctld.out" 2>&1 &
ctld=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$D/slurmd.out" 2>&1 &
slurmd_pid=$!

# The manifest: NPACKS packs of the sample, each to its own folder.
M="$D/manifest.csv"
echo "name,template,input,out" >"$M"
i=1
while [ $i -le $NPACKS ]; do
    echo "p$i,$ROOT/templates/integrated-performance.yaml,$ROOT/input/sample,out/p$i" >>"$M"
    i=$((i + 1))
done

start=$(date +%s)
jobid=
while [ -z "$jobid" ]; do
    jobid=$(cd "$D" && sbatch --parsable --array=0-$((NTASKS - 1)) \
        --output="$D/logs/task-%A_%a.out" \
        --export=ALL,RAGPACK="$RAGPACK",MANIFEST="$M",RAGPACK_LOG_DIR="$D/logs" \
        "$ROOT/deploy/slurm/ragpack-array.sbatch" 2>"$D/sbatch.err")
    if [ -z "$jobid" ]; then
        alive "$ctld" || { say "FAIL: slurmctld died"; tail -5 "$D/slurmctld.log"; exit 1; }
        [ $(($(date +%s) - start)) -lt 30 ] || { say "FAIL: sbatch: $(cat "$D/sbatch.err")"; exit 1; }
        sleep 0.5
    fi
done
jobid=${jobid%%;*}
say "submitted array job $jobid ($NTASKS tasks, $NPACKS packs)"

# sbatch --wait returns late; poll squeue against a wall-clock deadline.
while [ -n "$(squeue -h -j "$jobid" 2>/dev/null)" ]; do
    if [ $(($(date +%s) - start)) -ge $DEADLINE ]; then
        say "FAIL: the array did not finish in ${DEADLINE}s"
        squeue; sinfo; tail -5 "$D/slurmctld.log"
        scancel "$jobid" 2>/dev/null
        exit 1
    fi
    sleep 0.2
done

# Every pack built exactly once: one "built" record per name across the
# task logs, and one PDF in each pack's folder.
fails=0
names=$(cat "$D"/logs/batch-*.jsonl 2>/dev/null | grep '"status":"built"' |
        sed 's/.*"name":"\([^"]*\)".*/\1/')
total=$(echo "$names" | grep -c .)
distinct=$(echo "$names" | grep . | sort -u | wc -l)
nlogs=$(ls "$D"/logs/batch-*.jsonl 2>/dev/null | wc -l)
npdf=$(find "$D/out" -name '*.pdf' | wc -l)
if [ "$total" = $NPACKS ] && [ "$distinct" = $NPACKS ] && [ "$npdf" = $NPACKS ] \
   && [ "$nlogs" = $NTASKS ]; then
    echo "ok slurm-array ($NPACKS packs, $NTASKS tasks, $(($(date +%s) - start))s)"
else
    echo "FAIL slurm-array: $total built records, $distinct names, $npdf PDFs, $nlogs task logs"
    cat "$D"/logs/task-*.out 2>/dev/null | tail -20
    fails=1
fi
[ "$fails" = 0 ]
