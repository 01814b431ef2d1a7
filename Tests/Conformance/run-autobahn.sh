#!/usr/bin/env bash
# Runs Autobahn|Testsuite's fuzzingserver on loopback against our WebSocket client (ws-conformance)
# and prints a summary of the report. Compression cases (12.x, 13.x) are excluded: we do not
# negotiate permessage-deflate.
#
# Usage: Tests/Conformance/run-autobahn.sh [--release] [--cases FIRST-LAST]
# Env:   PYTHON27 (default ~/.pyenv/versions/2.7.18/bin/python), AUTOBAHN_DIR (default .build/autobahn)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON27=${PYTHON27:-$HOME/.pyenv/versions/2.7.18/bin/python}
WORK=${AUTOBAHN_DIR:-$ROOT/.build/autobahn}
SITE=$WORK/site
REPORTS=$WORK/reports
CONFIGURATION=debug
CASE_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) CONFIGURATION=release ;;
        --cases) CASE_ARGS=(--cases "$2"); shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

[ -x "$PYTHON27" ] || { echo "Python 2.7 not found at $PYTHON27 (set PYTHON27); Autobahn|Testsuite runs only on 2.7" >&2; exit 1; }
mkdir -p "$WORK"
if [ ! -d "$SITE/autobahntestsuite" ]; then
    echo "installing autobahntestsuite into $SITE ..."
    "$PYTHON27" -m pip install --quiet --disable-pip-version-check --target "$SITE" autobahntestsuite
fi

# A free loopback port, chosen by the kernel.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
rm -rf "$REPORTS"
cat > "$WORK/fuzzingserver.json" <<JSON
{
  "url": "ws://127.0.0.1:$PORT",
  "outdir": "$REPORTS",
  "cases": ["*"],
  "exclude-cases": ["12.*", "13.*"],
  "exclude-agent-cases": {}
}
JSON

echo "building ws-conformance ($CONFIGURATION) ..."
swift build --package-path "$ROOT" -c "$CONFIGURATION" --product ws-conformance 2>&1 | grep -E "error|warning:" || true
BIN=$(swift build --package-path "$ROOT" -c "$CONFIGURATION" --show-bin-path)/ws-conformance

# site.addsitedir (not PYTHONPATH) so the `zope` namespace package in the target dir resolves.
"$PYTHON27" -c "
import site, sys
site.addsitedir('$SITE')
sys.argv = ['wstest', '-m', 'fuzzingserver', '-s', '$WORK/fuzzingserver.json']
from autobahntestsuite.wstest import run
run()
" > "$WORK/fuzzingserver.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null; then break; fi
    if ! kill -0 $SERVER 2>/dev/null; then echo "fuzzingserver exited; see $WORK/fuzzingserver.log" >&2; cat "$WORK/fuzzingserver.log" >&2; exit 1; fi
    sleep 0.2
done

"$BIN" "ws://127.0.0.1:$PORT" --agent clanbot ${CASE_ARGS[@]+"${CASE_ARGS[@]}"}

python3 - "$REPORTS/index.json" <<'PY'
import json, sys, collections
report = json.load(open(sys.argv[1]))["clanbot"]
counts = collections.Counter()
problems = []
def key(case_id):
    return [int(part) for part in case_id.split(".")]
for case_id in sorted(report, key=key):
    if case_id.split(".")[0] in ("12", "13"):
        continue
    result = report[case_id]
    behavior, close = result["behavior"], result["behaviorClose"]
    # A case counts by the worse of its two verdicts.
    order = ["OK", "INFORMATIONAL", "NON-STRICT", "UNIMPLEMENTED", "FAILED"]
    verdict = max(behavior, close, key=lambda v: order.index(v) if v in order else len(order))
    counts[verdict] += 1
    if verdict not in ("OK", "INFORMATIONAL"):
        problems.append("  %s: behavior %s, close %s" % (case_id, behavior, close))
total = sum(counts.values())
print("Autobahn|Testsuite (client, excluding 12.x/13.x compression): %d cases: %d OK, %d NON-STRICT, %d FAILED, %d INFORMATIONAL%s"
      % (total, counts["OK"], counts["NON-STRICT"], counts["FAILED"], counts["INFORMATIONAL"],
         (", %d UNIMPLEMENTED" % counts["UNIMPLEMENTED"]) if counts["UNIMPLEMENTED"] else ""))
for line in problems:
    print(line)
sys.exit(1 if counts["FAILED"] else 0)
PY
