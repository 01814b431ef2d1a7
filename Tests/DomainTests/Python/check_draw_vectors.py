#!/usr/bin/env python3
"""Independent check of clanbot-draw-v1 and clanbot-draw-v2 test vectors, written from docs/draw-scheme.md
with nothing but Python's hashlib, hmac and struct: raffle draws (§4), the counter stream, and the rankings of
ranked and team contests with their tie-breaks (§8). Usage: check_draw_vectors.py VECTOR.json...
Prints "OK <file>" per vector; exits 1 naming every value that differs."""
import hashlib
import hmac
import json
import re
import struct
import sys

# The seed tag of each scheme: its name and one zero byte. v2 differs from v1 only in the tag and in when S is published.
TAGS = {"clanbot-draw-v1": b"clanbot-draw-v1\x00", "clanbot-draw-v2": b"clanbot-draw-v2\x00"}
QUICKNET_CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
GENESIS_MS = 1692803367 * 1000
PERIOD_MS = 3000
NAME = re.compile(r"^[a-z0-9]([a-z0-9 ]{0,10}[a-z0-9])?$")
TEAM_NAME = re.compile(r"^[a-z0-9]([a-z0-9 ]{0,30}[a-z0-9])?$")
TIE_BREAK = b"tie-break\x00"


def sha256(data):
    return hashlib.sha256(data).digest()


def first_round_after(ms):
    if ms < GENESIS_MS:
        return 1
    return (ms - GENESIS_MS) // PERIOD_MS + 2


class Checker:
    def __init__(self, label):
        self.label = label
        self.problems = []

    def same(self, what, published, computed):
        if isinstance(computed, bytes):
            computed = computed.hex()
        if str(published).lower() != str(computed).lower():
            self.problems.append(f"{self.label}: {what}: published {published!r}, computed {computed!r}")

    def true(self, what, condition):
        if not condition:
            self.problems.append(f"{self.label}: {what}")


def stream(seed, counter, n):
    block = hmac.new(seed, struct.pack(">I", counter), hashlib.sha256).digest()
    x = int.from_bytes(block[:8], "big")
    limit = 2**64 - (2**64 % n)
    return block, x, (x % n if x < limit else None)


def check_draw(vector, c):
    proof = vector["proof"]
    act = proof["activation"]
    scheme = act["scheme"]
    c.true(f"known scheme ({scheme!r})", scheme in TAGS)
    c.same("scheme", proof["scheme"], scheme)
    secret = bytes.fromhex(proof["secret"])
    c.true("secret is 32 bytes", len(secret) == 32)
    c.same("commitment", act["commitment"], sha256(secret))
    c.same("rules digest", act["rules_digest"], sha256(vector["rules_text"].encode()))

    entries = vector["entries_file"].encode()
    c.true("entry file ends with a newline", entries.endswith(b"\n"))
    lines = entries.decode().split("\n")[:-1]
    c.true("entry lines are normalised names", all(NAME.match(line) and line == line.strip() for line in lines))
    c.true("entry lines are in byte order", lines == sorted(lines, key=lambda s: s.encode()))
    n = len(lines)
    c.same("entries digest", proof["entries"]["digest"], sha256(entries))
    c.same("ticket count", proof["entries"]["ticket_count"], n)

    mode = act["randomness"]
    if mode["mode"] == "drand-quicknet":
        c.same("chain hash", mode["chain_hash"], QUICKNET_CHAIN)
        chain = bytes.fromhex(QUICKNET_CHAIN)
        rnd = mode["round"]
        c.true("round R is published after the end", GENESIS_MS + PERIOD_MS * (rnd - 1) > act["end_at_ms"])
        c.same("committed round = first round after end + margin", rnd, first_round_after(act["end_at_ms"] + vector["margin_seconds"] * 1000))
        beacon = proof["beacon"]
        c.same("beacon round", beacon["round"], rnd)
        signature = bytes.fromhex(beacon["signature"])
        c.true("signature is 48 bytes", len(signature) == 48)
        randomness = sha256(signature)
        c.same("beacon randomness", beacon["randomness"], randomness)
    else:
        c.same("mode", mode["mode"], "none")
        c.true("no beacon without a beacon mode", "beacon" not in proof)
        chain, rnd, randomness = bytes(32), 0, bytes(32)

    if scheme == "clanbot-draw-v2":
        check_lock(vector, proof, mode["mode"], c)
    else:
        c.true("a v1 vector has no lock record with a secret", "secret" not in vector.get("lock", {}))

    seed_input = TAGS[scheme] + struct.pack(">Q", act["contest_id"]) + chain + struct.pack(">Q", rnd) + sha256(entries) + randomness
    c.true("seed input is 128 bytes", len(seed_input) == 128)
    c.same("seed input", proof["seed_input"], seed_input)
    seed = hmac.new(secret, seed_input, hashlib.sha256).digest()
    c.same("seed", proof["seed"], seed)
    c.same("acceptance limit", proof["acceptance_limit"], 2**64 - (2**64 % n))

    wanted = proof["winners_requested"]
    winners, won, counter, steps = [], set(), 0, proof["steps"]
    while len(winners) < wanted:
        block, x, index = stream(seed, counter, n)
        step = steps[counter] if counter < len(steps) else {}
        c.same(f"counter {counter} block", step.get("block"), block)
        c.same(f"counter {counter} x", step.get("x"), block[:8])
        c.same(f"counter {counter} x decimal", step.get("x_decimal"), x)
        if index is None:
            outcome = "rejected"
        else:
            name = lines[index]
            c.same(f"counter {counter} index", step.get("index"), index)
            c.same(f"counter {counter} ticket", step.get("ticket"), name)
            outcome = "skipped_repeat" if name in won else "winner"
            if outcome == "winner":
                won.add(name)
                winners.append({"place": len(winners) + 1, "name": name, "index": index, "counter": counter})
        c.same(f"counter {counter} outcome", step.get("outcome"), outcome)
        counter += 1
    c.same("number of steps", len(steps), counter)
    c.same("winners", json.dumps(proof["winners"], sort_keys=True), json.dumps(winners, sort_keys=True))


def check_lock(vector, proof, mode, c):
    """v2: what the lock published. With a beacon it includes S, so the draw is a function of public values from t(R);
    without a beacon S is not published before the draw."""
    lock = vector["lock"]
    c.same("lock scheme", lock["scheme"], "clanbot-draw-v2")
    c.same("lock activation", json.dumps(lock["activation"], sort_keys=True), json.dumps(proof["activation"], sort_keys=True))
    c.same("lock entries", json.dumps(lock["entries"], sort_keys=True), json.dumps(proof["entries"], sort_keys=True))
    distinct = len(set(vector["entries_file"].split("\n")[:-1]))
    c.same("lock winners requested", lock["winners_requested"], proof["winners_requested"])
    c.true("winners requested is at most the number of different people", lock["winners_requested"] <= distinct)
    if mode == "drand-quicknet":
        c.same("secret published at the lock", lock.get("secret"), proof["secret"])
        c.same("published secret matches the commitment", proof["activation"]["commitment"], sha256(bytes.fromhex(lock["secret"])))
    else:
        c.true("without a beacon the lock does not publish the secret", "secret" not in lock)


def check_stream(vector, c):
    seed = bytes.fromhex(vector["seed"])
    n = int(vector["ticket_count"])
    c.same("rejected tail", vector["rejected_tail"], 2**64 % n)
    c.same("acceptance limit", vector["acceptance_limit"], 2**64 - (2**64 % n))
    counter = 0
    for step in vector["steps"]:
        block, x, index = stream(seed, counter, n)
        c.same(f"counter {counter}", step["counter"], counter)
        c.same(f"counter {counter} block", step["block"], block)
        c.same(f"counter {counter} x", step["x"], block[:8])
        c.same(f"counter {counter} x decimal", step["x_decimal"], x)
        c.same(f"counter {counter} accepted", step["accepted"], index is not None)
        c.same(f"counter {counter} index", step.get("index"), None if index is None else str(index))
        counter += 1
    c.true("the stream ends at its first accepted value", [s["accepted"] for s in vector["steps"]] == [False] * (counter - 1) + [True])


def seed_of(act, proof, digest, c):
    """The seed of §4.2 (shared by draws and rankings): checks the secret, the beacon and the seed input on the way."""
    scheme = act["scheme"]
    c.true(f"known scheme ({scheme!r})", scheme in TAGS)
    c.same("scheme", proof["scheme"], scheme)
    secret = bytes.fromhex(proof["secret"])
    c.true("secret is 32 bytes", len(secret) == 32)
    c.same("commitment", act["commitment"], sha256(secret))
    mode = act["randomness"]
    if mode["mode"] == "drand-quicknet":
        c.same("chain hash", mode["chain_hash"], QUICKNET_CHAIN)
        chain, rnd = bytes.fromhex(QUICKNET_CHAIN), mode["round"]
        c.true("round R is published after the end", GENESIS_MS + PERIOD_MS * (rnd - 1) > act["end_at_ms"])
        beacon = proof["beacon"]
        c.same("beacon round", beacon["round"], rnd)
        randomness = sha256(bytes.fromhex(beacon["signature"]))
        c.same("beacon randomness", beacon["randomness"], randomness)
    else:
        c.true("no beacon without a beacon mode", "beacon" not in proof)
        chain, rnd, randomness = bytes(32), 0, bytes(32)
    seed_input = TAGS[scheme] + struct.pack(">Q", act["contest_id"]) + chain + struct.pack(">Q", rnd) + digest + randomness
    c.same("seed input", proof["seed_input"], seed_input)
    seed = hmac.new(secret, seed_input, hashlib.sha256).digest()
    c.same("seed", proof["seed"], seed)
    return seed


def check_ranking(vector, c):
    """§8: scores from the points rules, the ranking file, and equal scores ordered by HMAC(seed, "tie-break\\0" + name)."""
    proof, act = vector["proof"], vector["proof"]["activation"]
    kind = proof["kind"]
    c.true("kind is ranked or teams", kind in ("ranked", "teams"))
    text = vector["rules_text"]
    c.same("rules digest", act["rules_digest"], sha256(text.encode()))
    lines = text.split("\n")[:-1]
    c.same("rules text starts with the kind", lines[0], "kind\t" + kind)
    rules, teams = [], {}
    for line in lines[1:]:
        fields = line.split("\t")
        if fields[0] == "team":
            teams[fields[1]] = fields[2].split(",")
        else:
            c.same(f"rule {fields[0]} comparator", fields[3], "per")
            rules.append((int(fields[4]), int(fields[5])))
    # Score per member: the sum over rules of floor(gained / unit) * points.
    scores = {m["name"]: sum((g // unit) * pts for g, (unit, pts) in zip(m["gains"], rules)) for m in vector["members"]}
    if kind == "teams":
        members = [m for team in teams.values() for m in team]
        c.true("nobody is in two teams", len(members) == len(set(members)))
        scores = {team: sum(scores.get(m, 0) for m in team_members) for team, team_members in teams.items()}
    pattern = TEAM_NAME if kind == "teams" else NAME
    c.true("names are normalised", all(pattern.match(name) for name in scores))
    ranked = sorted(((s, n) for n, s in scores.items() if s >= 1), key=lambda t: (-t[0], t[1].encode()))
    expected_file = "".join(f"{s}\t{n}\n" for s, n in ranked)
    c.same("ranking file", vector["entries_file"], expected_file)
    data = vector["entries_file"].encode()
    c.same("entries digest", proof["entries"]["digest"], sha256(data))
    c.same("ticket count", proof["entries"]["ticket_count"], len(ranked))
    if "lock" in vector:
        lock = vector["lock"]
        c.same("lock kind", lock.get("kind"), kind)
        c.same("lock entries", json.dumps(lock["entries"], sort_keys=True), json.dumps(proof["entries"], sort_keys=True))
        if act["randomness"]["mode"] == "drand-quicknet":
            c.same("secret published at the lock", lock.get("secret"), proof["secret"])
    seed = seed_of(act, proof, sha256(data), c)
    counts = {}
    for s, _ in ranked:
        counts[s] = counts.get(s, 0) + 1
    keyed = []
    for s, n in ranked:
        key = hmac.new(seed, TIE_BREAK + n.encode(), hashlib.sha256).digest() if counts[s] > 1 else None
        keyed.append((s, n, key))
    keyed.sort(key=lambda t: (-t[0], t[2] or b""))
    final = []
    for place, (s, n, key) in enumerate(keyed, start=1):
        line = {"place": place, "name": n, "score": s, "tied": key is not None}
        if key is not None:
            line["key"] = key.hex()
        final.append(line)
    c.same("final ranking", json.dumps(proof["ranking"], sort_keys=True), json.dumps(final, sort_keys=True))
    c.same("prize places", proof["winners_requested"], min(proof["winners_requested"], len(ranked)))


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    problems = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            vector = json.load(handle)
        checker = Checker(path)
        try:
            if "proof" not in vector:
                check_stream(vector, checker)
            elif "kind" in vector["proof"]:
                check_ranking(vector, checker)
            else:
                check_draw(vector, checker)
        except (KeyError, ValueError, IndexError, TypeError, AttributeError) as error:
            checker.problems.append(f"{path}: unreadable vector: {error!r}")
        problems += checker.problems
        if not checker.problems:
            print(f"OK {path}")
    for problem in problems:
        print("FAIL " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
