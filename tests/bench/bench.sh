#!/usr/bin/env bash
# make bench: every figure next to its floor, measured in the same run; prints a table, writes JSON.
# usage: bench.sh [--reps N] [--blocks K] [--quick] [--out FILE]   (--quick: few reps, small data, proves the harness)
# A figure and its baseline run in turn, K blocks of N/K repetitions each (floor, client, floor,
# client...), and each figure's blocks are pooled before ranking: a machine that drifts during
# the run (a busy neighbour, a frequency change) then moves both sides of a ratio alike.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

REPS=100 BLOCKS=5 QUICK=0 OUT=bench/results.json
while [ $# -gt 0 ]; do
	case $1 in
	--reps) REPS=$2; shift 2 ;;
	--blocks) BLOCKS=$2; shift 2 ;;
	--quick) QUICK=1; shift ;;
	--out) OUT=$2; shift 2 ;;
	*) echo "usage: bench.sh [--reps N] [--blocks K] [--quick] [--out FILE]" >&2; exit 2 ;;
	esac
done
if [ "$QUICK" = 1 ]; then
	REPS=4 BLOCKS=2 SECONDS_PER_RATE=0.3 AUDIT_SIZES="1000" QUEUE_EVENTS=1000
else
	SECONDS_PER_RATE=${BENCH_SECONDS:-5} AUDIT_SIZES="10000 100000 1000000" QUEUE_EVENTS=100000
fi
[ "$BLOCKS" -ge 1 ] && [ "$REPS" -ge "$BLOCKS" ] || { echo "bench.sh: need 1 <= blocks <= reps" >&2; exit 2; }
PER=$(((REPS + BLOCKS - 1) / BLOCKS))	# repetitions per block
RES=$WORK/results.jsonl
: >"$RES"
SKIPPED=()

# measure WHAT TOOL ARGS...: one benchmark; its JSON lines go to the results.
measure() {
	local what=$1; shift
	if "$@" >>"$RES" 2>"$WORK/err"; then
		ok "$what"
	else
		not_ok "$what"; sed 's/^/    /' "$WORK/err" | head -40
	fi
}

# ---- the client's world: a fresh demo seed, one chartgated ----
rate_flag=()
# A per-workstation limit on login challenges would cut every tap benchmark short.
"$BIN/chartgated" --help 2>&1 | grep -q -- '--challenge-rate' && rate_flag=(--challenge-rate 0)
start_server "${rate_flag[@]}" || { not_ok "chartgated starts"; exit 1; }
SK=$WORK/demo/softkey.json
# The floor signs with a copy of the same badges: its counters must not race the client's.
cp "$SK" "$WORK/floor-softkey.json" && chmod 600 "$WORK/floor-softkey.json"
mapfile -t NAMES < <("$BIN/chartgate-softkey" list "$SK" | cut -f3)
A=${NAMES[0]} B=${NAMES[1]}
CLIENT=("$BIN/chartgate" --server "$URL" --softkey "$SK" --workstation cart-4w-01)
LOCK='Tap your badge to sign in.'
PTY=("$TOOLS/bench_pty" --reps "$PER")
ON_WORKLIST=(--step 1 "0:$A&&My patients (")
ON_CHART=("${ON_WORKLIST[@]}" --step '<Enter>' 'Why are you opening' --step '<Enter>' 'Access:')
# The gap is the lock screen's idle time before a tap; the floor idles as long before each
# of its taps (a machine that has idled wakes its threads slower).
GAP=300

# Keys in the bare ncurses list: the baseline of every keypress figure, run in each block.
bare_keys() {
	measure "keypress in the bare ncurses list $1" \
		"${PTY[@]}" --bytes --ready 'ready' \
		--cycle key_down_bare '<Down>' '*' --cycle key_down_bare '<Up>' '*' \
		--cycle key_pgdn_bare '<PgDn>' '*' --cycle key_pgdn_bare '<PgUp>' '*' \
		-- "$TOOLS/bench_bare" "$QUEUE_EVENTS"
}

for b in $(seq 1 "$BLOCKS"); do
	blk="[block $b/$BLOCKS]"
	# 1. tap-to-ready against one assertion + one request.
	measure "tap floor: softkey assertion + GET /v1/health, after ${GAP} ms idle $blk" \
		"$TOOLS/bench_load" floor --url "$URL" --softkey "$WORK/floor-softkey.json" --reps "$PER" --gap "$GAP"
	measure "tap-to-ready: badge key on the lock screen -> worklist painted $blk" \
		"${PTY[@]}" --gap "$GAP" --ready "$LOCK" \
		--cycle tap_to_ready 1 "0:$A&&My patients (" --cycle - '<C-x>' "$LOCK" -- "${CLIENT[@]}"
	# 2. tap-over (B taps while A is on a chart) and resume (A taps back: A's chart painted).
	measure "tap-over and resume $blk" \
		"${PTY[@]}" --gap "$GAP" --ready "$LOCK" "${ON_CHART[@]}" \
		--cycle tap_over '<M-2>' "0:$B&&My patients (" --cycle resume '<M-1>' "0:$A&&Access:" \
		-- "${CLIENT[@]}"
	# 3. keypress-to-paint and bytes per key, against the bare ncurses list.
	measure "keypress in the worklist $blk" \
		"${PTY[@]}" --bytes --ready "$LOCK" "${ON_WORKLIST[@]}" \
		--cycle key_down_worklist '<Down>' '*' --cycle key_down_worklist '<Up>' '*' -- "${CLIENT[@]}"
	measure "keypress in the chart $blk" \
		"${PTY[@]}" --bytes --ready "$LOCK" "${ON_CHART[@]}" \
		--cycle key_down_chart '<Down>' '*' --cycle key_down_chart '<Up>' '*' \
		--cycle key_pgdn_chart '<PgDn>' '*' --cycle key_pgdn_chart '<PgUp>' '*' -- "${CLIENT[@]}"
	bare_keys "$blk"
	# 4. start to the lock screen, against initscr + the first refresh.
	measure "startup to the lock screen $blk" \
		"${PTY[@]}" --startup startup_client --ready "$LOCK" -- "${CLIENT[@]}"
	measure "startup of the bare ncurses list $blk" \
		"${PTY[@]}" --startup startup_bare --ready 'ready' -- "$TOOLS/bench_bare" 6
done
# For comparison only: the floor back to back, with no idle before each tap.
measure "tap floor, back to back" sh -c '"$0" floor --url "$1" --softkey "$2" --reps "$3" | sed "s/\"name\":\"\([a-z_]*\)\"/\"name\":\"\1_warm\"/"' \
	"$TOOLS/bench_load" "$URL" "$WORK/floor-softkey.json" "$REPS"
# A badge tapped as the cart starts: what the lock screen's early paint did not do
# (libcurl, the network client, a login challenge) is paid before this answer.
measure "cold tap: start, badge key at once -> worklist painted" \
	"$TOOLS/bench_pty" --reps "$REPS" --startup cold_tap --startup-keys 1 --ready "0:$A&&My patients (" -- "${CLIENT[@]}"

# 5. resident memory: one session; eight suspended (eight badges tap in turn, then the lock key).
# Each --rss NAME also reports NAME_pss and NAME_anon (see bench_pty.c); the target is on RSS.
measure "RSS with one session" \
	"$TOOLS/bench_pty" --reps 1 --ready "$LOCK" "${ON_WORKLIST[@]}" --rss rss_client_1 -- "${CLIENT[@]}"
taps=(--step 1 "0:${NAMES[0]}")
for i in 1 2 3 4 5 6 7; do taps+=(--step "<M-$((i + 1))>" "0:${NAMES[$i]}"); done
measure "RSS with eight suspended sessions" \
	"$TOOLS/bench_pty" --reps 1 --ready "$LOCK" "${taps[@]}" --step '<C-x>' "$LOCK" \
	--rss rss_client_8 -- "${CLIENT[@]}"
measure "RSS of the bare ncurses list" \
	"$TOOLS/bench_pty" --reps 1 --ready 'ready' --rss rss_bare -- "$TOOLS/bench_bare" 6
stop_server

# 3b. the privacy officer's reviewer queue over $QUEUE_EVENTS break-glass events (its own world),
# in blocks with the bare list as above.
HAS_QUEUE=0
if "$BIN/chartgated" --help 2>&1 | grep -q -- '--review-events'; then
	HAS_QUEUE=1
else
	SKIPPED+=("keypress in the $QUEUE_EVENTS-row reviewer queue: chartgated has no --review-events yet (measured in the worklist and chart instead)")
fi
queue_world() {
	local q=$WORK/queue
	"$BIN/chartgated" --demo-seed "$q" --review-events "$QUEUE_EVENTS" >"$WORK/queue-seed.log" 2>&1 || return 1
	# Badges tap with keys 1-9 in softkey order: Iris's key is her line in the list.
	IRIS_KEY=$("$BIN/chartgate-softkey" list "$q/softkey.json" | grep -n 'u-priv-iris' | cut -d: -f1)
	[ -n "$IRIS_KEY" ] && [ "$IRIS_KEY" -le 9 ] || { echo "u-priv-iris has no badge key 1-9" >&2; return 1; }
	PORT=$(free_port) URL=http://127.0.0.1:$PORT
	"$BIN/chartgated" --db "$q/chartgate.db" --listen "127.0.0.1:$PORT" "${rate_flag[@]}" >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && return 0; sleep 0.05; done
	return 1
}
if [ "$HAS_QUEUE" = 1 ]; then
	if queue_world; then
		for b in $(seq 1 "$BLOCKS"); do
			blk="[block $b/$BLOCKS]"
			measure "keypress in the $QUEUE_EVENTS-event reviewer queue (u-priv-iris) $blk" \
				"${PTY[@]}" --bytes --ready "$LOCK" --step "$IRIS_KEY" "Break-glass review:&&Created (UTC)&& OPEN " \
				--cycle key_down_queue '<Down>' '*' --cycle key_down_queue '<Up>' '*' \
				--cycle key_pgdn_queue '<PgDn>' '*' --cycle key_pgdn_queue '<PgUp>' '*' \
				-- "$BIN/chartgate" --server "$URL" --softkey "$WORK/queue/softkey.json" --workstation cart-4w-01
			bare_keys "$blk"
		done
	else
		not_ok "the reviewer queue's world ($QUEUE_EVENTS events) comes up"
	fi
	stop_server
fi

# ---- 6. chartgated: audited chart decisions per second as the audit table grows ----
"$BIN/chartgated" --demo-seed "$WORK/load" >"$WORK/load-seed.log" 2>&1 || { not_ok "seed for the load run"; exit 1; }
DB=$WORK/load/chartgate.db
# Valid-looking rows in one transaction; the hash chain does not matter for timing.
fill_audit() {
	local want=$1 have
	have=$(sqlite3 "$DB" 'SELECT count(*) FROM audit')
	[ "$have" -ge "$want" ] && return 0
	sqlite3 "$DB" "BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $((want - have)))
INSERT INTO audit (seq, time, kind, user_id, workstation, patient_id, sections, purpose,
  decision, rule, path, request_id, prev_hash, hash, detail)
SELECT $(sqlite3 "$DB" 'SELECT coalesce(max(seq), 0) FROM audit') + x,
  strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'chart', 'u-nurse-ana', 'cart-4w-01',
  'p-fill-' || (x % 997), 'sec-1', 'TREAT', 'permit', 'care-team', 'care-team',
  'fill-' || x, lower(hex(randomblob(32))), lower(hex(randomblob(32))), '' FROM c;
COMMIT;"
}
for n in $AUDIT_SIZES; do
	fill_audit "$n" || { not_ok "pre-fill $n audit rows"; continue; }
	PORT=$(free_port) URL=http://127.0.0.1:$PORT
	"$BIN/chartgated" --db "$DB" --listen "127.0.0.1:$PORT" "${rate_flag[@]}" >"$WORK/server.log" 2>&1 &
	SERVER_PID=$!
	for _ in $(seq 1 100); do curl -fsS "$URL/v1/health" >/dev/null 2>&1 && break; sleep 0.05; done
	# Every figure of a rate run gets the audit size as a suffix (health_per_s_10000, ...).
	measure "GET /v1/health rate, $n audit rows" sh -c '"$0" rate --url "$1" --what health --seconds "$2" --server-pid "$4" | sed "s/\"name\":\"\([a-z_]*\)\"/\"name\":\"\1_$3\"/"' \
		"$TOOLS/bench_load" "$URL" "$SECONDS_PER_RATE" "$n" "$SERVER_PID"
	measure "audited chart decisions per second, $n audit rows" sh -c '"$0" rate --url "$1" --what chart --softkey "$2" --seconds "$3" --server-pid "$5" | sed "s/\"name\":\"\([a-z_]*\)\"/\"name\":\"\1_$4\"/"' \
		"$TOOLS/bench_load" "$URL" "$WORK/load/softkey.json" "$SECONDS_PER_RATE" "$n" "$SERVER_PID"
	stop_server
done

# The hot queries of one chart decision (backend/store*.c, access.c): each must use an index.
PLANS=$WORK/plans.txt BAD_PLANS=0
: >"$PLANS"
while IFS= read -r q; do
	[ -n "$q" ] || continue
	plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN $q")
	printf '%s\n%s\n' "$q" "$(printf '%s\n' "$plan" | sed 's/^/    /')" >>"$PLANS"
	# A full scan of a table that grows is a failure; the audit tail walks the rowid
	# (seq is INTEGER PRIMARY KEY) backwards and stops at the first row.
	case $q in *"ORDER BY seq DESC LIMIT 1") continue ;; esac
	printf '%s\n' "$plan" | grep -E 'SCAN (audit|sessions|break_glass|step_ups|care_team_members|encounters)( |$)' |
		grep -vq 'USING' && BAD_PLANS=$((BAD_PLANS + 1))
done <<'SQL'
SELECT id, user_id, workstation, created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = x'00' AND ended_at IS NULL
SELECT id, mrn, display_name, birth_date, sex, flags FROM patients WHERE id = 'p'
SELECT unit_id FROM workstations WHERE id = 'w'
SELECT e.unit_id, e.status = 'in-progress', coalesce(e.ended_at, 0) FROM care_team_members c JOIN encounters e ON e.id = c.encounter_id WHERE c.user_id = 'u' AND e.patient_id = 'p' ORDER BY e.status = 'in-progress' DESC, e.ended_at DESC
SELECT until FROM step_ups WHERE session_id = 's' AND patient_id = 'p' AND until > 0
SELECT max(expires_at), id FROM break_glass WHERE user_id = 'u' AND patient_id = 'p' AND revoked_at IS NULL AND expires_at > 0 HAVING max(expires_at) IS NOT NULL
SELECT id, title, confidentiality, sensitivity FROM chart_sections WHERE patient_id = 'p' ORDER BY position, rowid
SELECT i.section_id, i.label, i.value, i.time FROM chart_sections c JOIN chart_items i ON i.section_id = c.id WHERE c.patient_id = 'p' ORDER BY c.position, c.rowid, i.position
SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1
SQL
check "hot queries of a decision use indexes ($PLANS)" [ "$BAD_PLANS" -eq 0 ]
[ "$BAD_PLANS" -eq 0 ] || sed 's/^/    /' "$PLANS"

# ---- report ----
mkdir -p "$(dirname "$OUT")"
conditions=$(jq -n --arg host "$(uname -srm)" --arg cpus "$(nproc)" \
	--arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--arg reps "$REPS" --arg blocks "$BLOCKS" --arg quick "$QUICK" --arg cc "$(${CC:-cc} --version | head -1)" \
	'{host:$host, cpus:($cpus|tonumber), loadavg_at_end:$load, date:$date, reps:($reps|tonumber), blocks:($blocks|tonumber), quick:($quick=="1"), compiler:$cc}')
jq -s --argjson cond "$conditions" --rawfile plans "$PLANS" \
	--argjson skipped "$(printf '%s\n' "${SKIPPED[@]}" | jq -R . | jq -s .)" '
	# Nearest rank, as tests/bench/stats.c: the value at ceil(p/100 * n) of the sorted pool.
	def pct($v; $p): $v[([($p / 100 * ($v | length)) | ceil, 1] | max) - 1];
	def pool: (map(.samples) | add) as $all | ($all | sort) as $v
		| .[0] + {samples: $all, n: ($v | length), p50: pct($v; 50), p95: pct($v; 95),
		    p99: pct($v; 99), mean: (($v | add) / ($v | length)), max: $v[-1], blocks: length};
	# One figure per name, in the order first measured; the blocks of a timed one pooled.
	(reduce .[] as $l ({}; .[$l.name] += [$l]) | [.[] | if .[0].samples then pool else .[0] end]) as $figs
	| ($figs | map({(.name): .}) | add) as $f
	| def cmp(a; b; target): if $f[a] and $f[b] then
		{figure: a, baseline: b, target: target,
		 ratio_p50: (if $f[a].p50 then ($f[a].p50 / $f[b].p50) else ($f[a].value / $f[b].value) end),
		 ratio_p99: (if $f[a].p99 then ($f[a].p99 / $f[b].p99) else null end)} else empty end;
	{conditions: $cond, figures: $figs, skipped: $skipped, query_plans: $plans,
	 comparisons: ([
		cmp("tap_to_ready"; "tap_floor"; "<= 1.3"),
		cmp("tap_over"; "tap_floor"; "<= 1.5"),
		cmp("resume"; "tap_floor"; "<= 1.5"),
		cmp("tap_to_ready"; "tap_floor_warm"; null),
		cmp("resume"; "tap_floor_warm"; null),
		cmp("key_down_worklist"; "key_down_bare"; "p99 <= 1.5"),
		cmp("key_down_chart"; "key_down_bare"; "p99 <= 1.5"),
		cmp("key_pgdn_chart"; "key_pgdn_bare"; "p99 <= 1.5"),
		cmp("key_down_queue"; "key_down_bare"; "p99 <= 1.5"),
		cmp("key_pgdn_queue"; "key_pgdn_bare"; "p99 <= 1.5"),
		cmp("key_down_queue_bytes"; "key_down_bare_bytes"; null),
		cmp("key_pgdn_queue_bytes"; "key_pgdn_bare_bytes"; null),
		cmp("key_down_worklist_bytes"; "key_down_bare_bytes"; null),
		cmp("key_pgdn_chart_bytes"; "key_pgdn_bare_bytes"; null),
		cmp("startup_client"; "startup_bare"; "<= 1.5"),
		cmp("cold_tap"; "startup_bare"; null),
		cmp("rss_client_1"; "rss_bare"; null),
		cmp("rss_client_8"; "rss_bare"; "<= 2"),
		cmp("rss_client_8_pss"; "rss_bare_pss"; null),
		cmp("rss_client_8_anon"; "rss_bare_anon"; null)
	 ] + [ $f | keys[] | select(startswith("decisions_per_s_")) | ltrimstr("decisions_per_s_") as $n
		| cmp("decisions_per_s_" + $n; "health_per_s_" + $n; ">= 0.5, and >= 5000/s"),
		  # The same question per server CPU: health costs / a decision costs (no load generator in it).
		  cmp("health_server_cpu_us_" + $n; "decision_server_cpu_us_" + $n; null) ])}' \
	"$RES" >"$OUT" || not_ok "results written to $OUT"

echo
jq -r '.figures[] | [.name, (if .p50 then "\(.p50)  \(.p95)  \(.p99) \(.unit) (n=\(.n))" else "\(.value) \(.unit)" end)] | @tsv' "$OUT" |
	awk -F'\t' '{ printf "  %-28s %s\n", $1, $2 }'
echo
echo "  figure vs baseline             ratio p50   ratio p99   target"
jq -r '.comparisons[] | [.figure, .baseline, (.ratio_p50 * 100 | round / 100), ((.ratio_p99 // 0) * 100 | round / 100), (.target // "-")] | @tsv' "$OUT" |
	awk -F'\t' '{ printf "  %-22s / %-20s %6.2f  %9s   %s\n", $1, $2, $3, ($4 == 0 ? "-" : $4), $5 }'
for s in "${SKIPPED[@]}"; do echo "  skipped: $s"; done
echo
echo "  query plans of one decision: in $OUT (.query_plans)"
echo "  conditions: $(jq -c .conditions "$OUT")"
echo "  results: $OUT"
