"""Schemathesis at scale against the served app: no generated request gets a server error, and
every answer the schema describes matches it.

``tests/test_web_schemathesis.py`` draws 20 requests per operation, the same ones on every run
(derandomised, so CI fails on a change of the code, not on a new draw). This draws many more,
from a seed, against ``parallax serve`` on loopback (the real server, its Host check and
headers included), to give the figure the issue asks for: 0 server errors (5xx) and 0 schema
violations over ≥ 10,000 cases.

    python benchmarks/schemathesis_run.py [--store PATH] [--examples 400] [--seed 15]

Without ``--store`` the demo store is built first, as ``parallax demo`` builds it (ingested,
annotated, given stories and their views); a store given is copied, so it is not written to.
Every operation of the app's ``/openapi.json`` gets schemathesis's coverage cases (each
parameter's boundaries, missing and wrong types, as its CLI's coverage phase sends them), then
``--examples`` random ones (fewer when its parameters allow fewer distinct ones), valid and
invalid alike. A failing request does not stop the run. Each distinct failure (operation and
kind) is printed once with the request that made it (as curl) and how many cases failed that
way; the last line gives the totals.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup, ServerError
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Seconds a served app may take to answer its first request.
START_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``parallax serve`` on a free loopback port, answering; its stderr goes to ``log``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "parallax.cli", "serve", "--db", str(db), "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/openapi.json", timeout=5).raise_for_status()
            return server, base
        except httpx.HTTPError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"parallax serve did not answer within {START_SECONDS} s; see {log}")


def run(base: str, examples: int, seed_value: int) -> tuple[int, int, Counter[str], dict[str, str]]:
    """Every operation of the served schema: its coverage cases, then ``examples`` random cases;
    returns the cases sent, the operations, the failing cases by distinct failure ("kind:
    operation: title") and one request (curl) for each distinct failure."""
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise SystemExit(f"an operation of the app's schema cannot be tested: {result.err()}")
        operations.append(result.ok())
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    failures: Counter[str] = Counter()
    requests: dict[str, str] = {}
    sent = 0

    def send(case: schemathesis.Case) -> None:
        nonlocal sent
        sent += 1
        label = case.operation.label
        try:
            case.call_and_validate(base_url=base, checks=[not_a_server_error, response_schema_conformance], timeout=60)
        except FailureGroup as group:
            for failure in group.exceptions:
                kind = "server error" if isinstance(failure, ServerError) else "schema violation"
                key = f"{kind}: {label}: {failure.title}"
                failures[key] += 1
                requests.setdefault(key, case.as_curl_command(base_url=base))
        except Exception as exc:  # noqa: BLE001 - no answer at all (a dropped connection, a timeout)
            key = f"unanswered: {label}: {type(exc).__name__}"
            failures[key] += 1
            requests.setdefault(key, case.as_curl_command(base_url=base))

    for operation in operations:
        for case in schema.iter_coverage_cases(operation, generation_modes=modes,
                                               generation_config=schema.config.generation_for(operation=operation)):
            send(case)

        @given(case=operation.as_strategy(modes[0]) | operation.as_strategy(modes[1]))
        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None,
                  phases=[Phase.explicit, Phase.generate])
        @seed(seed_value)
        def generated(case: schemathesis.Case) -> None:
            send(case)

        generated()
    return sent, len(operations), failures, requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="a SQLite store to serve (copied); default: the demo store, built first")
    parser.add_argument("--examples", type=int, default=400, help="generated requests per operation")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="parallax-schemathesis-") as folder:
        db = Path(folder) / "store.db"
        if args.store:
            shutil.copyfile(args.store, db)
        else:
            from replay_store import build_demo_store

            started = time.monotonic()
            build_demo_store(db)
            print(f"demo store built in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        log = Path(folder) / "serve.log"
        server, base = _serve(db, log)
        try:
            started = time.monotonic()
            sent, operations, failures, requests = run(base, args.examples, args.seed)
            seconds = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
        tracebacks = log.read_text("utf-8", "replace").count("Traceback (most recent call last)")
    for key, count in sorted(failures.items()):
        print(f"{key} ({count} cases)\n    {requests[key]}")
    kinds = Counter(key.split(":", 1)[0] for key in failures.elements())
    print(f"schemathesis_run.py --examples {args.examples} --seed {args.seed}: {len(failures)} distinct failures; "
          f"{tracebacks} tracebacks in the server's log; {seconds:.0f} s")
    print(f"schemathesis: {sent} cases over {operations} operations; server errors {kinds['server error']}, "
          f"schema violations {kinds['schema violation']}, unanswered {kinds['unanswered']}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
